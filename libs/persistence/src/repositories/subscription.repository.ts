import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { returnedRows } from './postgres-errors';
import { SubscriptionEntity, type SubscriptionChannel, type SubscriptionFilters } from '../entities';

export interface NewSubscription {
  agencyId: string;
  channel: SubscriptionChannel;
  label: string;
  filters: SubscriptionFilters;
  url: string | null;
  secretSealed: Buffer | null;
}

/** Subscriptions, always addressed through their owning agency so one tenant never reaches another's. */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(SubscriptionEntity);
  }

  /** Pass `m` to take part in a transaction (an audited change). */
  create(subscription: NewSubscription, m: EntityManager = this.dataSource.manager): Promise<SubscriptionEntity> {
    const repo = m.getRepository(SubscriptionEntity);
    return repo.save(
      repo.create({
        ...subscription,
        status: 'active',
        disabledReason: null,
        failingSince: null,
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        updatedAt: new Date(),
      }),
    );
  }

  listForAgency(agencyId: string): Promise<SubscriptionEntity[]> {
    return this.repo.find({ where: { agencyId }, order: { createdAt: 'ASC' } });
  }

  findForAgency(agencyId: string, id: string, m: EntityManager = this.dataSource.manager): Promise<SubscriptionEntity | null> {
    return m.getRepository(SubscriptionEntity).findOneBy({ agencyId, id });
  }

  /** The agency's subscription locked until the transaction ends, so a change and its audited before/after agree. */
  lockForAgency(m: EntityManager, agencyId: string, id: string): Promise<SubscriptionEntity | null> {
    return m
      .getRepository(SubscriptionEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.agency_id = :agencyId AND s.id = :id', { agencyId, id })
      .getOne();
  }

  findByIds(ids: readonly string[]): Promise<SubscriptionEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.repo.createQueryBuilder('s').where('s.id IN (:...ids)', { ids }).getMany();
  }

  /** The agency's active webhook subscriptions: where its new copies fan out to. */
  activeWebhooksOf(agencyId: string): Promise<SubscriptionEntity[]> {
    return this.repo.findBy({ agencyId, channel: 'webhook', status: 'active' });
  }

  /** Replaces the signing secret; the old one keeps signing too until `previousExpiresAt`. */
  async rotateSecret(
    agencyId: string,
    id: string,
    sealed: Buffer,
    previousExpiresAt: Date,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SubscriptionEntity | null> {
    await m.query(
      `UPDATE subscription SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $3,
              secret_sealed = $4, updated_at = now()
        WHERE agency_id = $1 AND id = $2 AND channel = 'webhook'`,
      [agencyId, id, previousExpiresAt, sealed],
    );
    return this.findForAgency(agencyId, id, m);
  }

  /** Enables (clearing the failure state) or disables a subscription with a reason. */
  async setStatus(
    agencyId: string,
    id: string,
    status: 'active' | 'disabled',
    reason: string | null,
    m: EntityManager = this.dataSource.manager,
  ): Promise<SubscriptionEntity | null> {
    await m.query(
      `UPDATE subscription SET status = $3::varchar, disabled_reason = $4::varchar,
              failing_since = CASE WHEN $3::varchar = 'active' THEN NULL ELSE failing_since END, updated_at = now()
        WHERE agency_id = $1 AND id = $2`,
      [agencyId, id, status, reason],
    );
    return this.findForAgency(agencyId, id, m);
  }

  /** Records a failed attempt: starts the failing period if none is running; returns its start. */
  async markFailing(id: string, now: Date): Promise<Date | null> {
    const result: unknown = await this.dataSource.query(
      `UPDATE subscription SET failing_since = COALESCE(failing_since, $2), updated_at = now() WHERE id = $1 RETURNING failing_since`,
      [id, now],
    );
    return returnedRows<{ failing_since: Date | null }>(result)[0]?.failing_since ?? null;
  }

  async markHealthy(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE subscription SET failing_since = NULL, updated_at = now() WHERE id = $1 AND failing_since IS NOT NULL`,
      [id],
    );
  }

  /** Disables an endpoint the dispatcher gave up on, saying why (shown to the agency's administrator). */
  async disable(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE subscription SET status = 'disabled', disabled_reason = $2, updated_at = now() WHERE id = $1 AND status = 'active'`,
      [id, reason.slice(0, 500)],
    );
  }
}
