import type { Role } from '../db/schema.js';

/** Every action the server checks; the widgets receive the caller's list to hide what would be refused. */
export const PERMISSIONS = [
  'contacts.create',
  'contacts.edit',
  'contacts.delete',
  'contacts.restore',
  'contacts.merge',
  'contacts.bulk',
  'contacts.export',
  'contacts.import',
  'fields.manage',
  'views.share',
  'documents.upload',
  'documents.edit',
  'documents.delete',
  'share_links.manage',
  'teams.manage',
  /** Reset a contact's attribution (first interaction): owners and managers. */
  'attribution.reset',
  /** Create, change and delete calendars (appointments are booked with contacts.edit). */
  'calendars.manage',
  /** Charge, refund and manage cards on file: owners and managers, and members granted it (member_grants). */
  'payments.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENT: Permission[] = ['contacts.create', 'contacts.edit', 'contacts.export', 'documents.upload', 'share_links.manage'];
const MANAGER: Permission[] = [...PERMISSIONS];

const MATRIX: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  manager: new Set(MANAGER),
  agent: new Set(AGENT),
};

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => MATRIX[role].has(p));
}
