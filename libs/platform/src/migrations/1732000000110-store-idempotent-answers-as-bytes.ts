import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotent replay must be the first answer byte for byte; jsonb reorders keys, so the answer
 * is kept as the text that was sent (its media type and extra headers beside it). `response`
 * stays for rows written before.
 */
export class StoreIdempotentAnswersAsBytes1732000000110 implements MigrationInterface {
  name = 'StoreIdempotentAnswersAsBytes1732000000110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE idempotency_keys
        ADD COLUMN response_body text,
        ADD COLUMN response_content_type text,
        ADD COLUMN response_headers text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN response_body, DROP COLUMN response_content_type, DROP COLUMN response_headers');
  }
}
