import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { actorOf, publishContacts } from '../domain/contacts.js';
import { createTeam, deleteTeam, getTeam, listTeams, MAX_TEAM_MEMBERS, updateTeam } from '../domain/teams.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';

const name = z.string().trim().min(1).max(100);
const memberIds = z.array(z.string().min(1).max(64)).max(MAX_TEAM_MEMBERS);
const createSchema = z.object({ name, memberIds: memberIds.optional() }).strict();
const patchSchema = z
  .object({ name: name.optional(), memberIds: memberIds.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.memberIds !== undefined, { message: 'Send name and/or memberIds.' });

/** /api/v1/teams — everyone reads the teams (pickers, "My team"); owners and managers (`teams.manage`) change them. */
export function teamRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    .get('/', async (c) => c.json({ items: await listTeams(db, c.var.caller.workspace.id) }))
    .get('/:id', async (c) => c.json(await getTeam(db, c.var.caller.workspace.id, c.req.param('id'))))
    .post('/', validate('json', createSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'teams.manage');
      return c.json(await createTeam(db, caller.workspace.id, actorOf(caller), c.req.valid('json'), clock.now()), 201);
    })
    .patch('/:id', validate('json', patchSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'teams.manage');
      return c.json(await updateTeam(db, caller.workspace.id, actorOf(caller), c.req.param('id'), c.req.valid('json'), clock.now()));
    })
    .delete('/:id', async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'teams.manage');
      const { contactIds, ...deleted } = await deleteTeam(db, caller.workspace.id, actorOf(caller), c.req.param('id'), clock.now());
      await publishContacts(db, deps.events, caller.workspace.id, 'contact.updated', contactIds, { fields: ['teamId'] });
      return c.json(deleted);
    });
}
