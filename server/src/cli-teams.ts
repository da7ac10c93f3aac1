// `dossier team …`: teams managed from the data folder, through the same domain functions (and audit) as /teams.
import type { Db } from './db/connection.js';
import { changeMembership, createTeam, deleteTeam, listTeams, resolveMember, updateTeam } from './domain/teams.js';
import { ApiError } from './http/errors.js';

const SYSTEM = { id: null, type: 'system' as const };

/** Bad usage is a TypeError (the CLI shows its help); a refused change an Error with the server's message. */
export async function teamCommand(db: Db, sub: string | undefined, v: { workspace?: string; team?: string; name?: string; members: string[] }, now: number) {
  const need = (value: string | undefined, flag: string): string => {
    if (!value?.trim()) throw new TypeError(`team ${sub ?? ''} needs ${flag}`);
    return value.trim();
  };
  const workspace = need(v.workspace, '--workspace');
  if (!(await db.selectFrom('workspaces').select('id').where('id', '=', workspace).executeTakeFirst())) throw new Error(`no workspace ${workspace}`);
  const member = async (idOrExternal: string) => {
    const id = await resolveMember(db, workspace, idOrExternal);
    if (!id) throw new Error(`no member ${idOrExternal} in workspace ${workspace}`);
    return id;
  };
  try {
    switch (sub) {
      case 'list':
        return { items: await listTeams(db, workspace) };
      case 'create': {
        const memberIds = await Promise.all(v.members.map(member));
        return await createTeam(db, workspace, SYSTEM, { name: need(v.name, '--name'), memberIds }, now);
      }
      case 'rename':
        return await updateTeam(db, workspace, SYSTEM, need(v.team, '--team'), { name: need(v.name, '--name') }, now);
      case 'add-member':
      case 'remove-member': {
        const team = need(v.team, '--team');
        const id = await member(need(v.members[0], '--member'));
        return await changeMembership(db, workspace, SYSTEM, team, id, sub === 'add-member', now);
      }
      case 'delete': {
        const { contactIds: _ids, ...deleted } = await deleteTeam(db, workspace, SYSTEM, need(v.team, '--team'), now);
        return deleted;
      }
      default:
        throw new TypeError('expected "team list|create|rename|add-member|remove-member|delete"');
    }
  } catch (err) {
    if (err instanceof ApiError) throw new Error(err.message);
    throw err;
  }
}
