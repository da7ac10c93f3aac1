import { sql, type Kysely } from 'kysely';

// Profile pictures uploaded to Dossier (PUT /contacts/:id/avatar, or fetched from a social channel's sender): the
// re-encoded picture is a content-addressed blob, and `avatar_key` names it so blob garbage collection spares the
// pictures contacts still show. `avatar_url` stays what widgets show (the signed URL of that blob, or a host's URL).

/** The statements of both engines' bodies; `text` is the engine's text type. */
export const avatarStatements = (text: string) => [
  `ALTER TABLE contacts ADD COLUMN avatar_key ${text}`,
  `CREATE INDEX contacts_avatar_key ON contacts (avatar_key) WHERE avatar_key IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of avatarStatements('TEXT')) await sql.raw(statement).execute(db);
}
