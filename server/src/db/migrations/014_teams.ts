import { sql, type Kysely } from 'kysely';

// Teams of members (the "Team inbox"): a contact may belong to one team, and a member's "My team" inbox lists the
// contacts of the teams they are in. Deleting a team leaves its contacts without one.
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE teams (
      id TEXT PRIMARY KEY,
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE UNIQUE INDEX teams_ws_name ON teams (workspace_id, name COLLATE NOCASE)`,
    `CREATE TABLE team_members (
      workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
      PRIMARY KEY (team_id, member_id)
    ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX team_members_member ON team_members (member_id, team_id)`,
    `ALTER TABLE contacts ADD COLUMN team_id TEXT REFERENCES teams(id) ON DELETE SET NULL`,
    // "My team" lists a team's live contacts newest first: seek (workspace, team) in created order.
    `CREATE INDEX contacts_ws_team_created ON contacts (workspace_id, team_id, created_at, id) WHERE deleted_at IS NULL`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
