import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency-Key records: durable, so a retry after a restart still replays the first answer. */
export class CreateIdempotencyKeys1732000000100 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1732000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        actor_id     text        NOT NULL,
        key          text        NOT NULL,
        fingerprint  text        NOT NULL,
        state        text        NOT NULL CHECK (state IN ('in-flight', 'done')),
        status       integer,
        response     jsonb,
        locked_until timestamptz NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
