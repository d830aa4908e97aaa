import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key whose 201 is not stored because the event log holds it (apps/api IdempotencyInterceptor,
 * AnswerFromLog): a retry rebuilds the answer from the events the key's ids name.
 */
export class IdempotentAnswersFromTheLog1732000000120 implements MigrationInterface {
  name = 'IdempotentAnswersFromTheLog1732000000120';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN answer_from_log boolean NOT NULL DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN answer_from_log');
  }
}
