import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateEvent } from '@liaison/contracts';
import { ProblemError } from '@liaison/http';
import { RoutedEventRepository } from '@liaison/persistence';
import { applyFieldRules, declaredRecipients, decide, eventFacts, PolicyIndex, type EventFacts } from '@liaison/policy';
import { ConfigStateReader } from '../../outbox/config-state-reader';
import type { ExplainDto, ExplanationView } from '../explain.dto';

/**
 * Explains whether one recipient would get one of the agency's events, and in what shape, under
 * the current policies at the current time: the same engine the router runs, over the model read
 * from Postgres. The event is either posted (validated like the gateway does) or one the router
 * recorded in `routed_event`.
 */
@Injectable()
export class ExplainDecisionUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly state: ConfigStateReader,
    private readonly routedEvents: RoutedEventRepository,
  ) {}

  async execute(ownerAgencyId: string, dto: ExplainDto): Promise<ExplanationView> {
    if ((dto.event === undefined) === (dto.eventId === undefined)) {
      throw new ProblemError('validation-failed', 'see errors for each field', [
        { pointer: '/event', detail: 'give exactly one of event and eventId' },
      ]);
    }
    const now = new Date();
    const index = new PolicyIndex(await this.state.policyModel(this.dataSource.manager));
    const facts =
      dto.event !== undefined ? this.posted(ownerAgencyId, dto.event, index) : await this.routed(ownerAgencyId, dto.eventId ?? '');
    const recipientAgencyId = dto.recipientAgencyId.toLowerCase();
    const d = decide(facts, recipientAgencyId, index, now);
    return {
      recipientAgencyId,
      share: d.share,
      reasons: [...d.reasons],
      policyIds: [...d.policyIds],
      fieldRules: d.fieldRules === null ? null : { ...d.fieldRules, redact: [...d.fieldRules.redact] },
      copy: d.share && d.fieldRules !== null ? applyFieldRules(facts.data, d.fieldRules) : null,
    };
  }

  private posted(ownerAgencyId: string, event: Record<string, unknown>, index: PolicyIndex): EventFacts {
    // The owner is the path agency whatever the body says, as the gateway takes it from the credential.
    const outcome = validateEvent({ ...event, agency: ownerAgencyId });
    if (!outcome.ok) {
      const problems = outcome.problems.map((p) => ({ pointer: `/event${p.pointer}`, detail: p.detail }));
      throw new ProblemError('validation-failed', 'see errors for each field', problems);
    }
    const facts = eventFacts(outcome.value, declaredRecipients(outcome.value), index);
    // Validated payloads are class instances: explain answers the plain JSON a recipient would read.
    return { ...facts, data: JSON.parse(JSON.stringify(facts.data)) as Record<string, unknown> };
  }

  private async routed(ownerAgencyId: string, eventId: string): Promise<EventFacts> {
    const facts = await this.routedEvents.find(ownerAgencyId, eventId);
    if (facts === null) throw new ProblemError('not-found', 'the agency has no routed event with this id');
    return facts;
  }
}
