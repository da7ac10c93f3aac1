import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { Associations } from '../domain/associations/associations.js';
import { Companies } from '../domain/associations/companies.js';
import { ObjectRecords, ObjectTypes } from '../domain/associations/objects.js';
import { isNameCursor } from '../domain/associations/search.js';
import { writeAudit } from '../domain/audit.js';
import { actorOf } from '../domain/contacts.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Caller, Env } from '../http/env.js';
import { documents, responds } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import type { Db } from '../db/connection.js';
import type { TargetSummary } from '../domain/associations/kinds.js';
import { companyCreate, companyJson, companyPage, companyPatch, id, listQuery, objectRecordJson, objectRecordPage, objectTypeCreate, objectTypeJson, objectTypePatch, recordCreate, recordPatch } from './association-schemas.js';

const idParam = z.object({ id });
const typeParam = z.object({ typeId: id });
const recordParam = z.object({ typeId: id, id });
const page = <T>(p: { items: T[]; next: unknown }) => ({ items: p.items, nextCursor: p.next ? encodeCursor(p.next) : null });

/**
 * Deletes a company or custom object record and every link to it (each removal audited on its contact), in one
 * transaction; the live feed hears of the removed links once committed.
 */
async function deleteTarget(deps: AppDeps, caller: Caller, target: TargetSummary, deleteRow: (trx: Db) => Promise<unknown>, now: number) {
  const links = new Associations(deps.db, deps.events);
  const removed = await deps.db.transaction().execute(async (trx) => {
    const gone = await links.removeLinksTo(trx, caller, target, now);
    await deleteRow(trx);
    const context = target.kind === 'company' ? { company: { id: target.id, name: target.name } } : { record: { id: target.id, name: target.name, typeId: target.objectTypeId ?? undefined } };
    await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: `${target.kind === 'company' ? 'company' : 'object_record'}.deleted`, changes: { name: { before: target.name, after: null } }, context, at: now });
    return gone;
  });
  links.publishRemoved(caller, removed);
}

/** /api/v1/companies — search and read (everyone), create and change (`contacts.edit`), delete (`objects.manage`). */
export function companyRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const companies = new Companies(db);
  const dup = documents({ errors: { 409: ['duplicate_domain'], 422: ['invalid_field'] } });
  return new Hono<Env>()
    .get('/', responds(200, companyPage), validate('query', listQuery), async (c) => {
      const o = c.req.valid('query');
      return c.json(page(await companies.list(c.var.caller, { q: o.q || undefined, limit: o.limit, after: decodeCursor(o.cursor, isNameCursor) })));
    })
    .post('/', responds(201, companyJson), dup, validate('json', companyCreate), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await companies.create(c.var.caller, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:id', responds(200, companyJson), validate('param', idParam), async (c) => c.json(await companies.get(c.var.caller, c.req.valid('param').id)))
    .patch('/:id', responds(200, companyJson), dup, validate('param', idParam), validate('json', companyPatch), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await companies.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()));
    })
    .delete('/:id', responds(200, companyJson, 'The company deleted (its associations with it).'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      const company = await companies.get(c.var.caller, c.req.valid('param').id);
      await deleteTarget(deps, c.var.caller, { kind: 'company', id: company.id, name: company.name, detail: company.domain, objectTypeId: null }, (trx) => trx.deleteFrom('companies').where('id', '=', company.id).execute(), clock.now());
      return c.json(company);
    });
}

/**
 * /api/v1/object-types — custom object types (defined by `objects.manage`) and, under /:typeId/records, their records
 * (search and read: everyone; create and change: `contacts.edit`; delete: `objects.manage`).
 */
export function objectRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const types = new ObjectTypes(db);
  const records = new ObjectRecords(db);
  const invalid = documents({ errors: { 422: ['invalid_field'] } });
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(objectTypeJson) }).strict()), async (c) => c.json({ items: await types.list(c.var.caller) }))
    .post('/', responds(201, objectTypeJson), invalid, validate('json', objectTypeCreate), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      return c.json(await types.create(c.var.caller, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:typeId', responds(200, objectTypeJson), validate('param', typeParam), async (c) => c.json(await types.get(c.var.caller, c.req.valid('param').typeId)))
    .patch('/:typeId', responds(200, objectTypeJson), invalid, validate('param', typeParam), validate('json', objectTypePatch), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      return c.json(await types.update(c.var.caller, c.req.valid('param').typeId, c.req.valid('json'), clock.now()));
    })
    .get('/:typeId/records', responds(200, objectRecordPage), validate('param', typeParam), validate('query', listQuery), async (c) => {
      const o = c.req.valid('query');
      return c.json(page(await records.list(c.var.caller, c.req.valid('param').typeId, { q: o.q || undefined, limit: o.limit, after: decodeCursor(o.cursor, isNameCursor) })));
    })
    .post('/:typeId/records', responds(201, objectRecordJson), invalid, validate('param', typeParam), validate('json', recordCreate), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await records.create(c.var.caller, c.req.valid('param').typeId, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:typeId/records/:id', responds(200, objectRecordJson), validate('param', recordParam), async (c) => {
      const p = c.req.valid('param');
      return c.json(await records.get(c.var.caller, p.typeId, p.id));
    })
    .patch('/:typeId/records/:id', responds(200, objectRecordJson), invalid, validate('param', recordParam), validate('json', recordPatch), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const p = c.req.valid('param');
      return c.json(await records.update(c.var.caller, p.typeId, p.id, c.req.valid('json'), clock.now()));
    })
    .delete('/:typeId/records/:id', responds(200, objectRecordJson, 'The record deleted (its associations with it).'), validate('param', recordParam), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      const p = c.req.valid('param');
      const record = await records.get(c.var.caller, p.typeId, p.id);
      await deleteTarget(deps, c.var.caller, { kind: 'object', id: record.id, name: record.name, detail: null, objectTypeId: record.typeId }, (trx) => trx.deleteFrom('object_records').where('id', '=', record.id).execute(), clock.now());
      return c.json(record);
    });
}
