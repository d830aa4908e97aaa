import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events a process manager could not act on: kept, so a restart forgets none of them. */
export class CreateProcessStuckEvents1732000000350 implements MigrationInterface {
  name = 'CreateProcessStuckEvents1732000000350';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE process_stuck_events (
        process          text        NOT NULL,
        event_id         uuid        NOT NULL,
        stream_id        text        NOT NULL,
        stream_revision  bigint      NOT NULL,
        global_position  bigint      NOT NULL,
        code             text        NOT NULL,
        detail           text        NOT NULL,
        attempts         integer     NOT NULL,
        first_failed_at  timestamptz NOT NULL DEFAULT now(),
        last_failed_at   timestamptz NOT NULL DEFAULT now(),
        next_attempt_at  timestamptz NOT NULL,
        PRIMARY KEY (process, event_id)
      )`);
    await q.query('CREATE INDEX process_stuck_events_due ON process_stuck_events (process, next_attempt_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE process_stuck_events');
  }
}
