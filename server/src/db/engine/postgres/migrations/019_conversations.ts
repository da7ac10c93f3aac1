import type { Kysely } from 'kysely';
import { conversationStatements } from '../../../migrations/019_conversations.js';
import { runAll, T } from './sql.js';

// PostgreSQL body of 019_conversations: the same table, columns, indexes and backfill as SQLite's (see that file for
// why), with text that compares bytewise and 64-bit times.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, conversationStatements(T, 'bigint'));
}
