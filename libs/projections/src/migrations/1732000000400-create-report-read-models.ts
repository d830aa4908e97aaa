import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The list of published reports (and the shadow table a rebuild fills). */
export class CreateReportReadModels1732000000400 implements MigrationInterface {
  name = 'CreateReportReadModels1732000000400';

  async up(q: QueryRunner): Promise<void> {
    for (const suffix of ['', '_rebuild']) {
      await q.query(`
        CREATE TABLE report_read_models${suffix} (
          report_id     text        PRIMARY KEY,
          summary       jsonb       NOT NULL,
          last_position bigint      NOT NULL,
          updated_at    timestamptz NOT NULL DEFAULT now()
        )`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['report_read_models_rebuild', 'report_read_models']) await q.query(`DROP TABLE ${table}`);
  }
}
