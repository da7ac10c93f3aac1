// A contact's tasks (the record's Tasks tab) and a member's open tasks across contacts. Each change is audited with
// its webhook in the same transaction and published on the event feed once committed. Anyone who may edit the
// contact creates, edits, completes and reopens its tasks; deleting one is for its creator, owners and managers.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { Database, TasksTable, TaskStatus } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { ApiError, forbidden, invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { writeAudit, type Changes } from './audit.js';
import { actorOf, getVisibleContact, visibleTo } from './contacts.js';
import type { EventFeed } from './events.js';

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5_000;

export interface TaskJson {
  id: string;
  contactId: string;
  /** The contact's name (the cross-contact list shows it). */
  contactName: string | null;
  title: string;
  description: string;
  dueAt: number;
  assignee: { id: string; name: string | null };
  status: TaskStatus;
  completedAt: number | null;
  completedBy: { id: string; name: string | null } | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  /** Whether the caller may delete it. */
  canDelete: boolean;
}

export type TaskFilter = { status?: TaskStatus; overdue?: boolean; assigneeId?: string; q?: string };
/** A keyset position by due time and id. */
export type TaskCursor = [number, string];
type Row = TasksTable & { assignee_name: string | null; completer_name: string | null; contact_name: string | null };

const mayDelete = (caller: Caller, createdBy: string | null) => caller.kind !== 'member' || caller.member.role !== 'agent' || createdBy === caller.member.id;

function toJson(r: Row, caller: Caller): TaskJson {
  return {
    id: r.id,
    contactId: r.contact_id,
    contactName: r.contact_name,
    title: r.title,
    description: r.description,
    dueAt: r.due_at,
    assignee: { id: r.assignee_id, name: r.assignee_name },
    status: r.status,
    completedAt: r.completed_at,
    completedBy: r.completed_by ? { id: r.completed_by, name: r.completer_name } : null,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    canDelete: mayDelete(caller, r.created_by),
  };
}

export class Tasks {
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {}

  private select(db: Db = this.db) {
    return db
      .selectFrom('tasks as t')
      .innerJoin('contacts', 'contacts.id', 't.contact_id')
      .leftJoin('members as a', 'a.id', 't.assignee_id')
      .leftJoin('members as d', 'd.id', 't.completed_by')
      .selectAll('t')
      .select(['a.name as assignee_name', 'd.name as completer_name', 'contacts.display_name as contact_name']);
  }

  /** Tasks by due time (soonest first, or latest with `dir: 'desc'`), keyset-paged; filters AND-combined. */
  private async page(caller: Caller, where: (eb: ExpressionBuilder<Database & { t: TasksTable }, 't' | 'contacts'>) => ReturnType<ExpressionBuilder<Database, 'contacts'>['and']>, f: TaskFilter, o: { dir: 'asc' | 'desc'; limit: number; after?: TaskCursor; now: number }) {
    let q = this.select().where('t.workspace_id', '=', caller.workspace.id).where(where as never);
    if (f.status) q = q.where('t.status', '=', f.status);
    if (f.overdue) q = q.where('t.status', '=', 'open').where('t.due_at', '<', o.now);
    if (f.assigneeId) q = q.where('t.assignee_id', '=', f.assigneeId);
    if (f.q) {
      const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const text = engineOf(this.db).text;
      q = q.where((eb) => eb.or([text.like(sql.ref('t.title'), pattern), text.like(sql.ref('t.description'), pattern)]));
    }
    if (o.after) {
      const [at, id] = o.after;
      const cmp = o.dir === 'asc' ? '>' : '<';
      q = q.where((eb) => eb.or([eb('t.due_at', cmp, at), eb.and([eb('t.due_at', '=', at), eb('t.id', cmp, id)])]));
    }
    const rows = (await q.orderBy('t.due_at', o.dir).orderBy('t.id', o.dir).limit(o.limit + 1).execute()) as Row[];
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return { items: shown.map((r) => toJson(r, caller)), next: rows.length > o.limit && last ? ([last.due_at, last.id] as TaskCursor) : null };
  }

  async listForContact(caller: Caller, contactId: string, f: TaskFilter, o: { dir: 'asc' | 'desc'; limit: number; after?: TaskCursor; now: number }) {
    await getVisibleContact(this.db, caller, contactId);
    return this.page(caller, (eb) => eb.and([eb('t.contact_id', '=', contactId)]), f, o);
  }

  /** Tasks across the contacts the caller may see (a restricted member: their contacts only), not deleted ones. */
  async listAcross(caller: Caller, f: TaskFilter, o: { dir: 'asc' | 'desc'; limit: number; after?: TaskCursor; now: number }) {
    return this.page(caller, (eb) => eb.and([visibleTo(caller)(eb as never), eb('contacts.deleted_at', 'is', null)]), f, o);
  }

  /** What the record header shows: open tasks overdue, and due before `dayEnd` (the end of the viewer's today). */
  async due(caller: Caller, contactId: string, now: number, dayEnd: number) {
    await getVisibleContact(this.db, caller, contactId);
    const row = await this.db
      .selectFrom('tasks')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('due_at', '<', now).then(1).else(0).end()).as('overdue'),
        eb.fn.sum<number>(eb.case().when(eb.and([eb('due_at', '>=', now), eb('due_at', '<', dayEnd)])).then(1).else(0).end()).as('today'),
      ])
      .where('contact_id', '=', contactId)
      .where('status', '=', 'open')
      .where('due_at', '<', dayEnd)
      .executeTakeFirst();
    return { overdue: Number(row?.overdue ?? 0), dueToday: Number(row?.today ?? 0) };
  }

  private async row(caller: Caller, contactId: string, id: string, db: Db = this.db): Promise<Row> {
    const row = (await this.select(db).where('t.workspace_id', '=', caller.workspace.id).where('t.contact_id', '=', contactId).where('t.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row) throw notFound('Task');
    return row;
  }

  private async writable(caller: Caller, contactId: string) {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its tasks.');
  }

  private async checkAssignee(caller: Caller, id: string) {
    const m = await this.db.selectFrom('members').select('id').where('workspace_id', '=', caller.workspace.id).where('id', '=', id).executeTakeFirst();
    if (!m) throw invalidField('assigneeId', `No member with id ${id} in this workspace.`);
  }

  private publish(type: 'created' | 'updated' | 'deleted', caller: Caller, contactId: string, id: string) {
    this.events?.publish({ type: `task.${type}`, workspaceId: caller.workspace.id, contactId, id });
  }

  private audit(trx: Db, caller: Caller, contactId: string, action: string, changes: Changes, task: { id: string; title: string }, now: number) {
    return writeAudit(trx, { workspaceId: caller.workspace.id, contactId, actor: actorOf(caller), action, changes, context: { task: { id: task.id, name: task.title } }, at: now });
  }

  async create(caller: Caller, contactId: string, input: { title: string; description?: string; dueAt: number; assigneeId: string }, now: number): Promise<TaskJson> {
    await this.writable(caller, contactId);
    await this.checkAssignee(caller, input.assigneeId);
    const id = newId('tk_', now);
    const createdBy = caller.kind === 'member' ? caller.member.id : null;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tasks')
        .values({ id, workspace_id: caller.workspace.id, contact_id: contactId, title: input.title, description: input.description ?? '', due_at: input.dueAt, assignee_id: input.assigneeId, status: 'open', completed_at: null, completed_by: null, created_by: createdBy, created_at: now, updated_at: now })
        .execute();
      const after = { title: input.title, description: input.description ?? '', dueAt: input.dueAt, assigneeId: input.assigneeId };
      await this.audit(trx, caller, contactId, 'task.created', Object.fromEntries(Object.entries(after).map(([k, v]) => [k, { before: null, after: v }])), { id, title: input.title }, now);
    });
    this.publish('created', caller, contactId, id);
    return toJson(await this.row(caller, contactId, id), caller);
  }

  async update(caller: Caller, contactId: string, id: string, patch: { title?: string; description?: string; dueAt?: number; assigneeId?: string; status?: TaskStatus }, now: number): Promise<TaskJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller, contactId, id);
    if (patch.assigneeId !== undefined && patch.assigneeId !== before.assignee_id) await this.checkAssignee(caller, patch.assigneeId);
    const changes: Changes = {};
    const set: Partial<TasksTable> = {};
    const field = <K extends keyof TasksTable>(key: string, column: K, value: TasksTable[K] | undefined) => {
      if (value === undefined || value === before[column]) return;
      changes[key] = { before: before[column], after: value };
      set[column] = value;
    };
    field('title', 'title', patch.title);
    field('description', 'description', patch.description);
    field('dueAt', 'due_at', patch.dueAt);
    field('assigneeId', 'assignee_id', patch.assigneeId);
    const statusChanged = patch.status !== undefined && patch.status !== before.status;
    if (!Object.keys(set).length && !statusChanged) return toJson(before, caller);
    const by = caller.kind === 'member' ? caller.member.id : null;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('tasks')
        .set({ ...set, updated_at: now, ...(statusChanged && { status: patch.status, completed_at: patch.status === 'completed' ? now : null, completed_by: patch.status === 'completed' ? by : null }) })
        .where('id', '=', id)
        .execute();
      const task = { id, title: set.title ?? before.title };
      if (Object.keys(changes).length) await this.audit(trx, caller, contactId, 'task.updated', changes, task, now);
      if (statusChanged) await this.audit(trx, caller, contactId, patch.status === 'completed' ? 'task.completed' : 'task.reopened', { status: { before: before.status, after: patch.status } }, task, now);
    });
    this.publish('updated', caller, contactId, id);
    return toJson(await this.row(caller, contactId, id), caller);
  }

  async remove(caller: Caller, contactId: string, id: string, now: number): Promise<TaskJson> {
    await this.writable(caller, contactId);
    const before = await this.row(caller, contactId, id);
    if (!mayDelete(caller, before.created_by)) throw forbidden('Only the member who created a task, owners and managers can delete it.');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('tasks').where('id', '=', id).execute();
      await this.audit(trx, caller, contactId, 'task.deleted', { title: { before: before.title, after: null } }, { id, title: before.title }, now);
    });
    this.publish('deleted', caller, contactId, id);
    return toJson(before, caller);
  }

  /** A task as webhooks carry it (inside the change's transaction); null once deleted. */
  static async json(trx: Db, id: string): Promise<Omit<TaskJson, 'canDelete'> | null> {
    const row = (await new Tasks(trx, undefined).select(trx).where('t.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row) return null;
    const { canDelete: _c, ...task } = toJson(row, { kind: 'api' } as Caller);
    return task;
  }
}
