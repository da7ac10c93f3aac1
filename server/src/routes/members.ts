import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { permissionsOf, PERMISSIONS } from '../domain/permissions.js';
import type { Env } from '../http/env.js';
import { mayManagePayments } from '../payments/payments.js';

export interface MemberJson {
  id: string;
  name: string;
  email: string;
  role: 'owner' | 'manager' | 'agent';
}

/** GET /me — who am I, and what may I do (the widgets hide what the server would refuse). */
export function meRoutes(deps: Pick<AppDeps, 'db'>) {
  return new Hono<Env>().get('/', async (c) => {
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
  return new Hono<Env>().get('/', async (c) => {
      const rows = await deps.db
        .selectFrom('members')
        .select(['id', 'name', 'email', 'role'])
        .where('workspace_id', '=', c.var.caller.workspace.id)
        .orderBy('name')
        .execute();
      return c.json({ items: rows satisfies MemberJson[] });
    });
}
