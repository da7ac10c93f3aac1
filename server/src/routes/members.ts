import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { permissionsOf, PERMISSIONS } from '../domain/permissions.js';
import type { Env } from '../http/env.js';
import { mayManagePayments } from '../payments/payments.js';
import { z } from 'zod';
import { responds, sameShape, type SameShape } from '../http/route-meta.js';

export interface MemberJson {
  id: string;
  name: string;
  email: string;
  role: 'owner' | 'manager' | 'agent';
}

const role = z.enum(['owner', 'manager', 'agent']);
const memberJson = z.object({ id: z.string(), name: z.string(), email: z.string(), role }).strict();
sameShape<SameShape<z.output<typeof memberJson>, MemberJson>>();
const meJson = z
  .object({
    workspace: z.object({ id: z.string(), name: z.string(), defaultRegion: z.string(), restoreDays: z.number().int() }).strict(),
    member: memberJson.extend({ restrictToAssigned: z.boolean() }).strict().nullable(),
    permissions: z.array(z.enum(PERMISSIONS)),
  })
  .strict();

/** GET /me — who am I, and what may I do (the widgets hide what the server would refuse). */
export function meRoutes(deps: Pick<AppDeps, 'db'>) {
  return new Hono<Env>().get('/', responds(200, meJson, 'The workspace, the member (null with the secret key) and the permissions of the caller.'), async (c) => {
      const { workspace, member } = c.var.caller;
      // A permission granted to this member beyond their role (payments.manage).
      const granted = member && !permissionsOf(member.role).includes('payments.manage') && (await mayManagePayments(deps.db, c.var.caller));
      return c.json({
        workspace: { id: workspace.id, name: workspace.name, defaultRegion: workspace.defaultRegion, restoreDays: workspace.restoreDays },
        member: member
          ? { id: member.id, name: member.name, email: member.email, role: member.role, restrictToAssigned: member.restrict_to_assigned === 1 }
          : null,
        permissions: member ? [...permissionsOf(member.role), ...(granted ? (['payments.manage'] as const) : [])] : [...PERMISSIONS],
      });
    });
}

/** GET /members — the workspace's members, for owner and follower pickers. */
export function memberRoutes(deps: AppDeps) {
  return new Hono<Env>().get('/', responds(200, z.object({ items: z.array(memberJson) }).strict(), 'The members, by name.'), async (c) => {
      const rows = await deps.db
        .selectFrom('members')
        .select(['id', 'name', 'email', 'role'])
        .where('workspace_id', '=', c.var.caller.workspace.id)
        .orderBy('name')
        .execute();
      return c.json({ items: rows satisfies MemberJson[] });
    });
}
