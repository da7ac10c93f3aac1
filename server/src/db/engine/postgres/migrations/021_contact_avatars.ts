import type { Kysely } from 'kysely';
import { avatarStatements } from '../../../migrations/021_contact_avatars.js';
import { runAll, T } from './sql.js';

// PostgreSQL body of 021_contact_avatars (the same statements, with the bytewise text type).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, avatarStatements(T));
}
