import type { Kysely } from 'kysely';

// PostgreSQL body of 007_contact_cells: nothing to do. SQLite adds `contacts.cells` here (each contact's list
// values as JSON, for the CSV export); on PostgreSQL the same cells came with the search index in 002, in
// contact_cells, one row per contact refreshed by the same triggers and statement as the search words.
export async function up(_db: Kysely<unknown>): Promise<void> {}
