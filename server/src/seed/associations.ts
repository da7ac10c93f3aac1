// Demo associations: two companies, a "Property" custom object type (address, bedrooms, price) with a few records,
// the association types Manager of / Reports to, Spouse, Employee of / Employs and Owner of / Owned by, and links
// among the newest contacts — made through the same domain code the API uses (as the host backend), so each link
// is audited and shows in the contacts' Activity. Written once per workspace (skipped when it has any company).
import type { Db } from '../db/connection.js';
import { Associations } from '../domain/associations/associations.js';
import { AssociationTypes } from '../domain/associations/association-types.js';
import { Companies } from '../domain/associations/companies.js';
import { ObjectRecords, ObjectTypes } from '../domain/associations/objects.js';
import { loadWorkspace } from '../http/auth.js';
import type { Caller } from '../http/env.js';

const COMPANIES = [
  { name: 'Northwind Traders', domain: 'northwind.example', phone: '+44 20 7946 0011', address: '12 Market Street, London' },
  { name: 'Contoso Ltd', domain: 'contoso.example', phone: '+49 30 901820', address: 'Friedrichstraße 100, Berlin' },
];
const PROPERTIES = [
  { name: 'Harbour View Apartment', fields: { address: '4 Quay Road, Bristol', bedrooms: 2, price: 325000 } },
  { name: 'Old Mill Cottage', fields: { address: 'Mill Lane, Cotswolds', bedrooms: 3, price: 460000 } },
  { name: 'Riverside Loft', fields: { address: '88 Wharf Street, Manchester', bedrooms: 1, price: 210000 } },
];

export async function seedAssociations(db: Db, workspaceId: string, now: number): Promise<void> {
  if (await db.selectFrom('companies').select('id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) return;
  const workspace = await loadWorkspace(db, workspaceId);
  if (!workspace) return;
  const caller: Caller = { kind: 'api', workspace, member: null };
  const contacts = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(12).execute()).map((c) => c.id);
  if (contacts.length < 8) return;
  const at = (() => {
    let t = now - 14 * 86_400_000;
    return () => (t += 3_600_000);
  })();
  const companies = [];
  for (const c of COMPANIES) companies.push(await new Companies(db).create(caller, c, at()));
  const property = await new ObjectTypes(db).create(
    caller,
    { name: 'Property', pluralName: 'Properties', fields: [{ key: 'address', label: 'Address', type: 'text', required: true }, { key: 'bedrooms', label: 'Bedrooms', type: 'number' }, { key: 'price', label: 'Price', type: 'number' }] },
    at(),
  );
  const records = [];
  for (const p of PROPERTIES) records.push(await new ObjectRecords(db).create(caller, property.id, p, at()));
  const types = new AssociationTypes(db);
  const manager = await types.create(caller, { targetKind: 'contact', label: 'Manager of', reverseLabel: 'Reports to' }, at());
  const spouse = await types.create(caller, { targetKind: 'contact', label: 'Spouse' }, at());
  const employee = await types.create(caller, { targetKind: 'company', label: 'Employee of', reverseLabel: 'Employs' }, at());
  const owner = await types.create(caller, { targetKind: 'object', objectTypeId: property.id, label: 'Owner of', reverseLabel: 'Owned by' }, at());
  const links = new Associations(db, undefined);
  const [a, b, c, d, e, f, g, h] = contacts as [string, string, string, string, string, string, string, string];
  for (const [from, typeId, targetId] of [
    [a, employee.id, companies[0]!.id],
    [b, employee.id, companies[0]!.id],
    [c, employee.id, companies[1]!.id],
    [a, manager.id, b],
    [a, manager.id, d],
    [c, spouse.id, e],
    [a, owner.id, records[0]!.id],
    [f, owner.id, records[1]!.id],
    [g, owner.id, records[2]!.id],
    [h, employee.id, companies[1]!.id],
  ] as const) {
    await links.create(caller, from, { typeId, targetId }, at());
  }
}
