import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only log. `global_position` is derived from the writing transaction's id
 * (xid × 2^20 + ordinal), so ordering by position equals ordering by transaction id and a
 * reader that stops below the oldest running transaction never skips a late commit.
 */
export class CreateEvents1732000000000 implements MigrationInterface {
  name = 'CreateEvents1732000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigint      NOT NULL,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        event_id        uuid        NOT NULL,
        stream_id       text        NOT NULL,
        stream_revision bigint      NOT NULL,
        type            text        NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL,
        hash            text        NOT NULL,
        prev_hash       text        NOT NULL,
        CONSTRAINT events_pkey PRIMARY KEY (global_position),
        CONSTRAINT events_event_id_unique UNIQUE (event_id),
        CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision),
        CONSTRAINT events_stream_revision_non_negative CHECK (stream_revision >= 0)
      )`);
    await q.query(`
      CREATE FUNCTION events_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'corrections are new events (reversals)';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_refuse_rewrite()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
      FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_rewrite()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE events');
    await q.query('DROP FUNCTION events_refuse_rewrite()');
  }
}
