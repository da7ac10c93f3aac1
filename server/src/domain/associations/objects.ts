// Custom object types the host defines through the API (a name, a plural name and a few typed fields) and their
// records (a name plus values checked against the type's fields).
import type { Db } from '../../db/connection.js';
import type { ObjectRecordsTable, ObjectTypesTable } from '../../db/schema-associations.js';
import type { Caller } from '../../http/env.js';
import { invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit } from '../audit.js';
import { actorOf } from '../contacts.js';
import { checkFieldList, checkValues, MAX_OBJECT_FIELDS, type ObjectField, type ObjectValues } from './object-fields.js';
import { afterName, nameMatches, pageOf, type NameCursor } from './search.js';

export const MAX_OBJECT_TYPES = 50;

export interface ObjectTypeJson {
  id: string;
  name: string;
  pluralName: string;
  fields: ObjectField[];
  createdAt: number;
  updatedAt: number;
}

export interface ObjectRecordJson {
  id: string;
  typeId: string;
  name: string;
  fields: ObjectValues;
  createdAt: number;
  updatedAt: number;
}

export const objectTypeJson = (r: ObjectTypesTable): ObjectTypeJson => ({
  id: r.id,
  name: r.name,
  pluralName: r.plural_name,
  fields: JSON.parse(r.fields) as ObjectField[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const objectRecordJson = (r: ObjectRecordsTable): ObjectRecordJson => ({
  id: r.id,
  typeId: r.type_id,
  name: r.name,
  fields: JSON.parse(r.fields) as ObjectValues,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class ObjectTypes {
  constructor(private readonly db: Db) {}

  async list(caller: Caller): Promise<ObjectTypeJson[]> {
    const rows = await this.db.selectFrom('object_types').selectAll().where('workspace_id', '=', caller.workspace.id).orderBy('name').orderBy('id').execute();
    return rows.map(objectTypeJson);
  }

  async get(caller: Caller, id: string, db: Db = this.db): Promise<ObjectTypeJson> {
    const row = await db.selectFrom('object_types').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Object type');
    return objectTypeJson(row);
  }

  async create(caller: Caller, input: { name: string; pluralName: string; fields: ObjectField[] }, now: number): Promise<ObjectTypeJson> {
    checkFieldList(input.fields);
    const { n } = await this.db.selectFrom('object_types').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', caller.workspace.id).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_OBJECT_TYPES) throw invalidField('name', `A workspace has at most ${MAX_OBJECT_TYPES} object types.`);
    const id = newId('ot_', now);
    await this.db
      .insertInto('object_types')
      .values({ id, workspace_id: caller.workspace.id, name: input.name, plural_name: input.pluralName, fields: JSON.stringify(input.fields), created_at: now, updated_at: now })
      .execute();
    return this.get(caller, id);
  }

  /**
   * Renames the type and changes its fields: existing fields keep their key and type (records hold values of them),
   * their labels, options (added to) and `required` may change, new fields are appended.
   */
  async update(caller: Caller, id: string, input: { name?: string; pluralName?: string; fields?: ObjectField[] }, now: number): Promise<ObjectTypeJson> {
    const before = await this.get(caller, id);
    if (input.fields) {
      checkFieldList(input.fields);
      if (input.fields.length > MAX_OBJECT_FIELDS) throw invalidField('fields', `An object type has at most ${MAX_OBJECT_FIELDS} fields.`);
      before.fields.forEach((old) => {
        const i = input.fields!.findIndex((f) => f.key === old.key);
        if (i < 0) throw invalidField('fields', `The field "${old.key}" cannot be removed (records hold values of it).`);
        const next = input.fields![i]!;
        if (next.type !== old.type) throw invalidField(`fields[${i}].type`, `The field "${old.key}" stays ${old.type}.`);
        const dropped = (old.options ?? []).find((o) => !next.options?.includes(o));
        if (dropped) throw invalidField(`fields[${i}].options`, `The option "${dropped}" cannot be removed (records may hold it).`);
      });
    }
    await this.db
      .updateTable('object_types')
      .set({ ...(input.name && { name: input.name }), ...(input.pluralName && { plural_name: input.pluralName }), ...(input.fields && { fields: JSON.stringify(input.fields) }), updated_at: now })
      .where('id', '=', id)
      .execute();
    return this.get(caller, id);
  }
}

export class ObjectRecords {
  private readonly types: ObjectTypes;
  constructor(private readonly db: Db) {
    this.types = new ObjectTypes(db);
  }

  async list(caller: Caller, typeId: string, o: { q?: string; limit: number; after?: NameCursor }) {
    await this.types.get(caller, typeId);
    let q = this.db.selectFrom('object_records').selectAll().where('workspace_id', '=', caller.workspace.id).where('type_id', '=', typeId);
    if (o.q) q = q.where(nameMatches(this.db, 'object_records.name', o.q));
    q = afterName(q, 'name', 'id', o.after);
    const rows = await q.orderBy('name').orderBy('id').limit(o.limit + 1).execute();
    return pageOf(rows, o.limit, objectRecordJson);
  }

  async get(caller: Caller, typeId: string, id: string, db: Db = this.db): Promise<ObjectRecordJson> {
    const row = await db.selectFrom('object_records').selectAll().where('workspace_id', '=', caller.workspace.id).where('type_id', '=', typeId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Record');
    return objectRecordJson(row);
  }

  async create(caller: Caller, typeId: string, input: { name: string; fields?: Record<string, unknown> }, now: number): Promise<ObjectRecordJson> {
    const type = await this.types.get(caller, typeId);
    const values = checkValues(type.fields, input.fields ?? {});
    const id = newId('or_', now);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('object_records').values({ id, workspace_id: caller.workspace.id, type_id: typeId, name: input.name, fields: JSON.stringify(values), created_at: now, updated_at: now }).execute();
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'object_record.created', changes: { name: { before: null, after: input.name }, fields: { before: null, after: values } }, context: { record: { id, name: input.name, typeId } }, at: now });
    });
    return this.get(caller, typeId, id);
  }

  async update(caller: Caller, typeId: string, id: string, input: { name?: string; fields?: Record<string, unknown> }, now: number): Promise<ObjectRecordJson> {
    const type = await this.types.get(caller, typeId);
    const before = await this.get(caller, typeId, id);
    const values = checkValues(type.fields, input.fields ?? {}, before.fields);
    const name = input.name ?? before.name;
    if (name === before.name && JSON.stringify(values) === JSON.stringify(before.fields)) return before;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('object_records').set({ name, fields: JSON.stringify(values), updated_at: now }).where('id', '=', id).execute();
      await writeAudit(trx, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action: 'object_record.updated', changes: { ...(name !== before.name && { name: { before: before.name, after: name } }), fields: { before: before.fields, after: values } }, context: { record: { id, name, typeId } }, at: now });
    });
    return this.get(caller, typeId, id);
  }
}
