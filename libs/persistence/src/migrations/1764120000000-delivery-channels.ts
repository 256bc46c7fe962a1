import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery channels: every recipient's received copies (`inbox_event`, the source of pull and SSE
 * and of webhook payloads), partner subscriptions, and the per-endpoint webhook retry state.
 */
export class DeliveryChannels1764120000000 implements MigrationInterface {
  name = 'DeliveryChannels1764120000000';

  async up(q: QueryRunner): Promise<void> {
    // `seq` is the cursor of pull and SSE. Writers for one recipient are serialised by a
    // transaction-scoped advisory lock, so per recipient `seq` order is commit order (ADR 0017).
    await q.query(`
      CREATE TABLE inbox_event (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        recipient_agency_id uuid NOT NULL,
        owner_agency_id uuid NOT NULL,
        event_id varchar(128) NOT NULL,
        subject varchar(256) NOT NULL,
        type varchar(128) NOT NULL,
        event jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (recipient_agency_id, owner_agency_id, event_id)
      )`);
    await q.query(`CREATE INDEX inbox_event_recipient_seq_idx ON inbox_event (recipient_agency_id, seq)`);
    await q.query(`CREATE INDEX inbox_event_recipient_received_idx ON inbox_event (recipient_agency_id, received_at)`);
    await q.query(`
      CREATE TABLE subscription (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency_id uuid NOT NULL REFERENCES agency(id),
        channel varchar(16) NOT NULL CHECK (channel IN ('webhook','pull','sse')),
        label varchar(100) NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}'::jsonb,
        url varchar(2048),
        secret_sealed bytea,
        previous_secret_sealed bytea,
        previous_secret_expires_at timestamptz,
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
        disabled_reason varchar(500),
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (channel <> 'webhook' OR (url IS NOT NULL AND secret_sealed IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX subscription_agency_idx ON subscription (agency_id)`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES subscription(id) ON DELETE CASCADE,
        inbox_seq bigint NOT NULL REFERENCES inbox_event(seq),
        subject varchar(256) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error varchar(500),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, inbox_seq)
      )`);
    // The dispatcher reads the head of each (endpoint, subject) queue among pending rows.
    await q.query(`
      CREATE INDEX webhook_delivery_pending_idx
        ON webhook_delivery (subscription_id, subject, inbox_seq) WHERE status = 'pending'`);

    // Several webhook endpoints of one recipient each get their own "delivered" record.
    await q.query(`ALTER TABLE delivery_attempt ADD COLUMN subscription_id uuid`);
    await q.query(`DROP INDEX delivery_attempt_delivered_once_idx`);
    await q.query(`
      CREATE UNIQUE INDEX delivery_attempt_delivered_once_idx
        ON delivery_attempt (owner_agency_id, event_id, recipient_agency_id, channel,
                             COALESCE(subscription_id, '00000000-0000-0000-0000-000000000000'::uuid))
        WHERE outcome = 'delivered'`);
    // A receiving agency's administrator reads its own deliveries, newest first.
    await q.query(`CREATE INDEX delivery_attempt_recipient_idx ON delivery_attempt (recipient_agency_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX delivery_attempt_recipient_idx`);
    await q.query(`DROP INDEX delivery_attempt_delivered_once_idx`);
    await q.query(`ALTER TABLE delivery_attempt DROP COLUMN subscription_id`);
    await q.query(`
      CREATE UNIQUE INDEX delivery_attempt_delivered_once_idx
        ON delivery_attempt (owner_agency_id, event_id, recipient_agency_id, channel) WHERE outcome = 'delivered'`);
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE subscription`);
    await q.query(`DROP TABLE inbox_event`);
  }
}
