// Companies: a minimal record (name, domain, phone, address) contacts are associated with. Workspace-scoped; a
// domain is kept as a lower-case host name and used by one company of the workspace at most.
import type { Db } from '../../db/connection.js';
import type { CompaniesTable } from '../../db/schema-associations.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit } from '../audit.js';
import { actorOf } from '../contacts.js';
import { afterName, nameMatches, pageOf, type NameCursor } from './search.js';

export interface CompanyJson {
  id: string;
  name: string;
  domain: string | null;
  phone: string | null;
  address: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface CompanyInput {
  name?: string;
  domain?: string | null;
  phone?: string | null;
  address?: string | null;
}

export const companyJson = (r: CompaniesTable): CompanyJson => ({
  id: r.id,
  name: r.name,
  domain: r.domain,
  phone: r.phone,
  address: r.address,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** `https://www.Example.com/about` → `www.example.com`; null when it is not a host name. */
export function normalizeDomain(input: string): string | null {
  const host = input.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/[/?#].*$/, '').replace(/\.$/, '');
  return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host) ? host : null;
}

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

export class Companies {
  constructor(private readonly db: Db) {}

  async list(caller: Caller, o: { q?: string; limit: number; after?: NameCursor }) {
    let q = this.db.selectFrom('companies').selectAll().where('workspace_id', '=', caller.workspace.id);
    if (o.q) {
      const text = o.q;
      q = q.where((eb) => eb.or([nameMatches(this.db, 'companies.name', text), nameMatches(this.db, 'companies.domain', text)]));
    }
    q = afterName(q, 'name', 'id', o.after);
    const rows = await q.orderBy('name').orderBy('id').limit(o.limit + 1).execute();
    return pageOf(rows, o.limit, companyJson);
  }

  async get(caller: Caller, id: string, db: Db = this.db): Promise<CompanyJson> {
    const row = await db.selectFrom('companies').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Company');
    return companyJson(row);
  }

  private async domainFree(trx: Db, caller: Caller, domain: string | null | undefined, exceptId?: string) {
    if (!domain) return;
    let q = trx.selectFrom('companies').select(['id', 'name']).where('workspace_id', '=', caller.workspace.id).where('domain', '=', domain);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const taken = await q.executeTakeFirst();
    if (taken) throw new ApiError(409, 'duplicate_domain', `${taken.name} already has the domain ${domain}.`, { field: 'domain', companyId: taken.id });
  }

  private clean(input: CompanyInput) {
    const domain = blankToNull(input.domain);
    const normalized = domain ? normalizeDomain(domain) : domain;
    if (domain && !normalized) throw invalidField('domain', 'Enter a domain like example.com.');
    return { name: input.name?.trim(), domain: normalized, phone: blankToNull(input.phone), address: blankToNull(input.address) };
  }

  async create(caller: Caller, input: CompanyInput & { name: string }, now: number): Promise<CompanyJson> {
    const v = this.clean(input);
    const id = newId('co_', now);
    await this.db.transaction().execute(async (trx) => {
      await this.domainFree(trx, caller, v.domain);
      await trx
        .insertInto('companies')
        .values({ id, workspace_id: caller.workspace.id, name: v.name!, domain: v.domain ?? null, phone: v.phone ?? null, address: v.address ?? null, created_at: now, updated_at: now })
        .execute();
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'company.created', changes: { name: { before: null, after: v.name } }, context: { company: { id, name: v.name! } }, at: now });
    });
    return this.get(caller, id);
  }

  async update(caller: Caller, id: string, input: CompanyInput, now: number): Promise<CompanyJson> {
    const before = await this.get(caller, id);
    const v = this.clean(input);
    const set = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined)) as Partial<CompaniesTable>;
    const changes = Object.fromEntries(Object.entries(set).filter(([k, value]) => before[k as keyof CompanyJson] !== value).map(([k, value]) => [k, { before: before[k as keyof CompanyJson], after: value }]));
    if (!Object.keys(changes).length) return before;
    await this.db.transaction().execute(async (trx) => {
      await this.domainFree(trx, caller, v.domain, id);
      await trx.updateTable('companies').set({ ...set, updated_at: now }).where('id', '=', id).execute();
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'company.updated', changes, context: { company: { id, name: v.name ?? before.name } }, at: now });
    });
    return this.get(caller, id);
  }
}
