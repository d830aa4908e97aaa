import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The programme tree's read model (one row per programme, its parent and its own indicators' terms),
 * and indexes for the portfolio filters on the project read model (programme, region).
 */
export class CreateProgrammeReadModels1732000000220 implements MigrationInterface {
  name = 'CreateProgrammeReadModels1732000000220';

  async up(q: QueryRunner): Promise<void> {
    for (const suffix of ['', '_rebuild']) {
      await q.query(`
        CREATE TABLE programme_read_models${suffix} (
          programme_id  text        PRIMARY KEY,
          parent_id     text,
          name          text        NOT NULL DEFAULT '',
          details       jsonb       NOT NULL,
          terms         jsonb       NOT NULL,
          event_count   bigint      NOT NULL DEFAULT 0,
          last_position bigint      NOT NULL,
          updated_at    timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`CREATE INDEX programme_read_models${suffix}_parent ON programme_read_models${suffix} (parent_id)`);
      await q.query(`CREATE INDEX project_read_models${suffix}_programme ON project_read_models${suffix} ((details->>'programmeId'))`);
      await q.query(`CREATE INDEX project_read_models${suffix}_region ON project_read_models${suffix} ((details->>'region') text_pattern_ops)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const suffix of ['', '_rebuild']) {
      await q.query(`DROP INDEX project_read_models${suffix}_region`);
      await q.query(`DROP INDEX project_read_models${suffix}_programme`);
      await q.query(`DROP TABLE programme_read_models${suffix}`);
    }
  }
}
