// Association types: how a contact relates to a target of one kind, with a label for each direction ("Manager of" /
// "Reports to"), or one label for a symmetric relation ("Spouse": reverseLabel null).
import type { Db } from '../../db/connection.js';
import type { AssociationTypesTable } from '../../db/schema-associations.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { builtInType, linkStores, targetKind, type TargetKindName } from './kinds.js';

export const MAX_ASSOCIATION_TYPES = 100;

export interface AssociationTypeJson {
  id: string;
  targetKind: TargetKindName;
  /** Kind `object`: the custom object type the targets are records of. */
  objectTypeId: string | null;
  /** The contact's side: "Manager of". */
  label: string;
  /** The target's side: "Reports to"; null when the relation reads the same both ways. */
  reverseLabel: string | null;
  /** A type the server defines (kind `opportunity`: the contact's role); it cannot be changed or deleted. */
  builtIn: boolean;
  createdAt: number;
  updatedAt: number;
}

export const associationTypeJson = (r: AssociationTypesTable): AssociationTypeJson => ({
  id: r.id,
  targetKind: r.target_kind as TargetKindName,
  objectTypeId: r.object_type_id,
  label: r.label,
  reverseLabel: r.reverse_label,
  builtIn: false,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class AssociationTypes {
  constructor(private readonly db: Db) {}

  async list(caller: Caller): Promise<AssociationTypeJson[]> {
    const rows = await this.db.selectFrom('association_types').selectAll().where('workspace_id', '=', caller.workspace.id).orderBy('target_kind').orderBy('label').orderBy('id').execute();
    const stored = rows.map(associationTypeJson);
    // The built-in types among the stored ones, by kind (the sort is stable: each kind's stored types stay by label).
    return [...stored, ...linkStores().flatMap((s) => s.types)].sort((a, b) => (a.targetKind < b.targetKind ? -1 : a.targetKind > b.targetKind ? 1 : 0));
  }

  async get(caller: Caller, id: string, db: Db = this.db): Promise<AssociationTypeJson> {
    const builtIn = builtInType(id);
    if (builtIn) return builtIn.type;
    const row = await db.selectFrom('association_types').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Association type');
    return associationTypeJson(row);
  }

  /** A stored type (a built-in one is refused: 409 `builtin_type`). */
  private async changeable(caller: Caller, id: string): Promise<AssociationTypeJson> {
    const type = await this.get(caller, id);
    if (type.builtIn) throw new ApiError(409, 'builtin_type', `"${type.label}" is a built-in association type; it cannot be changed or deleted.`, { typeId: id });
    return type;
  }

  private async labelFree(caller: Caller, t: { targetKind: string; objectTypeId: string | null; label: string }, exceptId?: string) {
    let q = this.db.selectFrom('association_types').select('id').where('workspace_id', '=', caller.workspace.id).where('target_kind', '=', t.targetKind).where('label', '=', t.label);
    q = t.objectTypeId ? q.where('object_type_id', '=', t.objectTypeId) : q.where('object_type_id', 'is', null);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const taken = await q.executeTakeFirst();
    if (taken) throw new ApiError(409, 'duplicate_type', `There is already an association type "${t.label}" for this kind.`, { field: 'label', typeId: taken.id });
  }

  async create(caller: Caller, input: { targetKind: TargetKindName; objectTypeId?: string | null; label: string; reverseLabel?: string | null }, now: number): Promise<AssociationTypeJson> {
    const kind = targetKind(input.targetKind);
    if (!kind) throw new ApiError(422, 'kind_unavailable', `Associations with ${input.targetKind} records are not available on this server.`, { field: 'targetKind' });
    if (kind.links) throw new ApiError(422, 'builtin_kind', `Associations with ${input.targetKind} records have built-in types (${kind.links.types.map((t) => t.label).join(', ')}); no others can be defined.`, { field: 'targetKind' });
    const objectTypeId = input.objectTypeId ?? null;
    if (input.targetKind === 'object') {
      if (!objectTypeId) throw invalidField('objectTypeId', 'Say which object type the targets are records of.');
      const found = await this.db.selectFrom('object_types').select('id').where('workspace_id', '=', caller.workspace.id).where('id', '=', objectTypeId).executeTakeFirst();
      if (!found) throw invalidField('objectTypeId', `No object type ${objectTypeId}.`);
    } else if (objectTypeId) throw invalidField('objectTypeId', 'Only associations with custom object records name an object type.');
    const reverseLabel = input.reverseLabel?.trim() || null;
    await this.labelFree(caller, { targetKind: input.targetKind, objectTypeId, label: input.label });
    const { n } = await this.db.selectFrom('association_types').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', caller.workspace.id).executeTakeFirstOrThrow();
    if (Number(n) >= MAX_ASSOCIATION_TYPES) throw invalidField('label', `A workspace has at most ${MAX_ASSOCIATION_TYPES} association types.`);
    const id = newId('at_', now);
    await this.db
      .insertInto('association_types')
      .values({ id, workspace_id: caller.workspace.id, target_kind: input.targetKind, object_type_id: objectTypeId, label: input.label, reverse_label: reverseLabel, created_at: now, updated_at: now })
      .execute();
    return this.get(caller, id);
  }

  /** Relabels a type (its kind stays: associations of it exist). A symmetric type stays symmetric and vice versa. */
  async update(caller: Caller, id: string, input: { label?: string; reverseLabel?: string | null }, now: number): Promise<AssociationTypeJson> {
    const before = await this.changeable(caller, id);
    if (input.reverseLabel !== undefined && (input.reverseLabel === null) !== (before.reverseLabel === null)) {
      throw invalidField('reverseLabel', before.reverseLabel === null ? 'This type reads the same both ways; it has no reverse label.' : 'This type has a label for each direction; give both.');
    }
    if (input.label && input.label !== before.label) await this.labelFree(caller, { ...before, label: input.label }, id);
    await this.db
      .updateTable('association_types')
      .set({ ...(input.label && { label: input.label }), ...(input.reverseLabel && { reverse_label: input.reverseLabel }), updated_at: now })
      .where('id', '=', id)
      .execute();
    return this.get(caller, id);
  }

  /** Deletes a type no association uses (remove those first: each removal is audited on its contacts). */
  async remove(caller: Caller, id: string): Promise<AssociationTypeJson> {
    const before = await this.changeable(caller, id);
    const { n } = await this.db.selectFrom('associations').select((eb) => eb.fn.countAll<number>().as('n')).where('type_id', '=', id).executeTakeFirstOrThrow();
    if (Number(n) > 0) throw new ApiError(409, 'type_in_use', `${Number(n)} association(s) use this type; remove them first.`, { count: Number(n) });
    await this.db.deleteFrom('association_types').where('id', '=', id).execute();
    return before;
  }
}
