import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { actorOf, publishContacts } from '../domain/contacts.js';
import { createTeam, deleteTeam, getTeam, listTeams, MAX_TEAM_MEMBERS, updateTeam } from '../domain/teams.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds, sameShape, type SameShape } from '../http/route-meta.js';
import type { TeamJson } from '../domain/teams.js';

const name = z.string().trim().min(1).max(100);
const memberIds = z.array(z.string().min(1).max(64)).max(MAX_TEAM_MEMBERS);
const createSchema = z.object({ name, memberIds: memberIds.optional() }).strict();
const patchSchema = z
  .object({ name: name.optional(), memberIds: memberIds.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.memberIds !== undefined, { message: 'Send name and/or memberIds.' });

const teamJson = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()), createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof teamJson>, TeamJson>>();

/** /api/v1/teams — everyone reads the teams (pickers, "My team"); owners and managers (`teams.manage`) change them. */
export function teamRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(teamJson) }).strict()), async (c) => c.json({ items: await listTeams(db, c.var.caller.workspace.id) }))
    .get('/:id', responds(200, teamJson), async (c) => c.json(await getTeam(db, c.var.caller.workspace.id, c.req.param('id'))))
    .post('/', responds(201, teamJson, 'The team created.'), fails(422, 'invalid_field'), validate('json', createSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'teams.manage');
      return c.json(await createTeam(db, caller.workspace.id, actorOf(caller), c.req.valid('json'), clock.now()), 201);
    })
    .patch('/:id', responds(200, teamJson, 'The team as it is now.'), fails(422, 'invalid_field'), validate('json', patchSchema), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'teams.manage');
      return c.json(await updateTeam(db, caller.workspace.id, actorOf(caller), c.req.param('id'), c.req.valid('json'), clock.now()));
    })
    .delete('/:id', responds(200, z.object({ deleted: z.literal(true), contacts: z.number().int() }).strict(), 'The team is gone; its `contacts` contacts keep no team.'), async (c) => {
      const caller = c.var.caller;
      assertCan(caller, 'teams.manage');
      const { contactIds, ...deleted } = await deleteTeam(db, caller.workspace.id, actorOf(caller), c.req.param('id'), clock.now());
      await publishContacts(db, deps.events, caller.workspace.id, 'contact.updated', contactIds, { fields: ['teamId'] });
      return c.json(deleted);
    });
}
