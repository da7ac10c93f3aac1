// The workspace's price list: products the host defines (one-off or recurring), used as invoice lines and
// subscribed to. Archiving hides a product from new invoices and subscriptions; what already uses it keeps its copy.
import type { Db } from '../../db/connection.js';
import type { BillingInterval, ProductKind, ProductsTable } from '../../db/schema-billing.js';
import type { Caller } from '../../http/env.js';
import { invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';

export interface ProductJson {
  id: string;
  name: string;
  description: string;
  /** Minor units of `currency`. */
  unitAmount: number;
  currency: string;
  kind: ProductKind;
  /** Recurring products: bill every `intervalCount` `interval`s. */
  interval: BillingInterval | null;
  intervalCount: number | null;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ProductInput {
  name: string;
  description?: string;
  unitAmount: number;
  currency: string;
  kind: ProductKind;
  interval?: BillingInterval;
  intervalCount?: number;
}

export const productJson = (r: ProductsTable): ProductJson => ({
  id: r.id,
  name: r.name,
  description: r.description,
  unitAmount: r.unit_amount,
  currency: r.currency,
  kind: r.kind,
  interval: r.interval,
  intervalCount: r.interval_count,
  archived: r.archived_at !== null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Recurring products need an interval; one-off ones have none. */
function recurrence(p: { kind: ProductKind; interval?: BillingInterval | null; intervalCount?: number | null }) {
  if (p.kind === 'one_off') {
    if (p.interval) throw invalidField('interval', 'A one-off product has no interval.');
    return { interval: null, interval_count: null };
  }
  if (!p.interval) throw invalidField('interval', 'A recurring product bills every month or every year: give its interval.');
  return { interval: p.interval, interval_count: p.intervalCount ?? 1 };
}

export class Products {
  constructor(private readonly db: Db) {}

  async list(caller: Caller, opts: { archived: boolean }): Promise<ProductJson[]> {
    let q = this.db.selectFrom('products').selectAll().where('workspace_id', '=', caller.workspace.id);
    if (!opts.archived) q = q.where('archived_at', 'is', null);
    return (await q.orderBy('name').orderBy('id').limit(500).execute()).map(productJson);
  }

  async row(workspaceId: string, id: string, db: Db = this.db): Promise<ProductsTable> {
    const row = await db.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Product');
    return row;
  }

  async create(caller: Caller, input: ProductInput, now: number): Promise<ProductJson> {
    const id = newId('pr_', now);
    const row: ProductsTable = {
      id,
      workspace_id: caller.workspace.id,
      name: input.name,
      description: input.description ?? '',
      unit_amount: input.unitAmount,
      currency: input.currency,
      kind: input.kind,
      ...recurrence(input),
      archived_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('products').values(row).execute();
    return productJson(row);
  }

  async update(caller: Caller, id: string, patch: Partial<ProductInput> & { archived?: boolean }, now: number): Promise<ProductJson> {
    const before = await this.row(caller.workspace.id, id);
    const kind = patch.kind ?? before.kind;
    const rec = recurrence({ kind, interval: patch.interval ?? (patch.kind === 'one_off' ? null : before.interval), intervalCount: patch.intervalCount ?? before.interval_count });
    const set: Partial<ProductsTable> = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.unitAmount !== undefined && { unit_amount: patch.unitAmount }),
      ...(patch.currency !== undefined && { currency: patch.currency }),
      ...(patch.archived !== undefined && { archived_at: patch.archived ? (before.archived_at ?? now) : null }),
      kind,
      ...rec,
      updated_at: now,
    };
    await this.db.updateTable('products').set(set).where('id', '=', id).execute();
    return productJson(await this.row(caller.workspace.id, id));
  }
}

