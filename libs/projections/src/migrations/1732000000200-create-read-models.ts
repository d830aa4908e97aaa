import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models and projector checkpoints. Each projector writes its rows and checkpoint in one transaction. */
export class CreateReadModels1732000000200 implements MigrationInterface {
  name = 'CreateReadModels1732000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_checkpoints (
        projector  text        PRIMARY KEY,
        position   bigint      NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const suffix of ['', '_rebuild']) {
      await q.query(`
        CREATE TABLE project_read_models${suffix} (
          project_id    text        PRIMARY KEY,
          name          text        NOT NULL DEFAULT '',
          department    text        NOT NULL DEFAULT '',
          category      text        NOT NULL DEFAULT '',
          details       jsonb       NOT NULL,
          terms         jsonb       NOT NULL,
          event_count   bigint      NOT NULL DEFAULT 0,
          last_position bigint      NOT NULL,
          updated_at    timestamptz NOT NULL DEFAULT now()
        )`);
      await q.query(`
        CREATE TABLE bond_read_models${suffix} (
          bond_id       text        PRIMARY KEY,
          details       jsonb       NOT NULL,
          last_position bigint      NOT NULL,
          updated_at    timestamptz NOT NULL DEFAULT now()
        )`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['bond_read_models_rebuild', 'project_read_models_rebuild', 'bond_read_models', 'project_read_models', 'projection_checkpoints']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
