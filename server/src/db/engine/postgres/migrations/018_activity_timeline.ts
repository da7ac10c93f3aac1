import type { Kysely } from 'kysely';
import { timelineStatements } from '../../../migrations/018_activity_timeline.js';
import { runAll, T } from './sql.js';

// PostgreSQL body of 018_activity_timeline: the same columns and indexes as SQLite's (see that file for why), with
// text that compares bytewise.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, timelineStatements(T));
}
