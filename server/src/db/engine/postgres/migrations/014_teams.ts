import type { Kysely } from 'kysely';
import { runAll, T } from './sql.js';

// PostgreSQL body of 014_teams: teams of members, a contact's team, and the "My team" seek index. Names are unique
// per workspace without case, as SQLite's NOCASE index makes them (lower() folds ASCII under "C").
export async function up(db: Kysely<unknown>): Promise<void> {
  await runAll(db, [
    `CREATE TABLE teams (
      id ${T} PRIMARY KEY,
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      name ${T} NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL
    )`,
    `CREATE UNIQUE INDEX teams_ws_name ON teams (workspace_id, lower(name))`,
    `CREATE TABLE team_members (
      workspace_id ${T} NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
      team_id ${T} NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
      member_id ${T} NOT NULL REFERENCES members(id) ON DELETE CASCADE,
      PRIMARY KEY (team_id, member_id)
    )`,
    `CREATE INDEX team_members_member ON team_members (member_id, team_id)`,
    `ALTER TABLE contacts ADD COLUMN team_id ${T} REFERENCES teams(id) ON DELETE SET NULL`,
    `CREATE INDEX contacts_ws_team_created ON contacts (workspace_id, team_id, created_at, id) WHERE deleted_at IS NULL`,
  ]);
}
