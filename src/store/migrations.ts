import { sql, type Kysely, type Migration } from 'kysely';

// Append only: a migration that has run somewhere is never edited.
export const migrations: Record<string, Migration> = {
  '0001_destinations': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('destinations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('retry_schedule', 'text', (c) => c.notNull())
        .addColumn('timeout_s', 'real', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_rules_and_filters': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('destinations').addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}')).execute();
      await db.schema
        .alterTable('destinations')
        .addColumn('needs_attention', 'text') // why deliveries stopped (e.g. 410 Gone); null when fine
        .execute();
      await db.schema
        .createTable('rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('match', 'text', (c) => c.notNull())
        .addColumn('destination_ids', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0003_sent_messages': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sent_messages')
        .addColumn('delivery_id', 'text', (c) => c.primaryKey())
        .addColumn('destination_id', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
