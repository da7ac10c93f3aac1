// Workflows (the record's Actions panel). Dossier does not run automations: the host does, and Dossier records them.
// The host registers its workflows and records enrolments by its own ids (a repeat of the same call changes nothing).
// Staff may ask from the record to add a contact to an active workflow or remove it: Dossier records the enrolment
// at once (`enrolled`, or `stopped` on removal: what the user sees is what they asked for) and tells the host through
// the `workflow.enroll_requested` / `workflow.remove_requested` webhooks (and the widget's DOM events), so the host
// starts or stops it and later records its progress (step, completed) against the same enrolment.
// Each change is audited (Activity and the audit log read it; webhooks are written with it) and published live.
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { engineOf } from '../../db/engine/index.js';
import type { EnrolmentStatus, WorkflowEnrolmentsTable, WorkflowsTable, WorkflowStatus } from '../../db/schema.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit, type Changes } from '../audit.js';
import { actorOf, getVisibleContact } from '../contacts.js';
import type { EventFeed } from '../events.js';
import { assertHost, assertVisible, liveContactOf } from './host-records.js';

export const MAX_NAME = 200;
export const MAX_STEP = 200;

export interface WorkflowJson {
  id: string;
  hostId: string;
  name: string;
  status: WorkflowStatus;
  createdAt: number;
  updatedAt: number;
}

export interface EnrolmentJson {
  id: string;
  hostId: string | null;
  contactId: string;
  workflow: { id: string; hostId: string; name: string; status: WorkflowStatus };
  status: EnrolmentStatus;
  step: string | null;
  enrolledAt: number;
  endedAt: number | null;
  enrolledBy: { id: string; name: string | null } | null;
  stoppedBy: { id: string; name: string | null } | null;
  updatedAt: number;
}

/** What the host records of an enrolment (PUT /workflows/:hostId/enrolments/:enrolmentHostId). */
export interface EnrolmentRecord {
  contactId: string;
  status: EnrolmentStatus;
  step?: string | null;
  enrolledAt?: number;
  endedAt?: number | null;
  /** Dossier's id of an enrolment staff asked for: the host's id is attached to it instead of a new one made. */
  enrolmentId?: string;
}

export type EnrolmentCursor = [number, string];
export type WorkflowCursor = [string, string];

export const workflowJson = (r: WorkflowsTable): WorkflowJson => ({ id: r.id, hostId: r.host_id, name: r.name, status: r.status, createdAt: r.created_at, updatedAt: r.updated_at });

type EnrolmentRow = WorkflowEnrolmentsTable & { wf_host_id: string; wf_name: string; wf_status: WorkflowStatus; enrolled_by_name: string | null; stopped_by_name: string | null };

export class Workflows {
  constructor(
    private readonly db: Db,
    private readonly events: EventFeed | undefined,
  ) {}

  /** Registers the host's workflow, or updates it (same host id); `created` tells which. */
  async register(caller: Caller, hostId: string, input: { name: string; status: WorkflowStatus }, now: number): Promise<{ workflow: WorkflowJson; created: boolean }> {
    assertHost(caller, 'registers workflows');
    const ws = caller.workspace.id;
    const existing = await this.db.selectFrom('workflows').selectAll().where('workspace_id', '=', ws).where('host_id', '=', hostId).executeTakeFirst();
    if (existing) {
      if (existing.name !== input.name || existing.status !== input.status) {
        await this.db.updateTable('workflows').set({ name: input.name, status: input.status, updated_at: now }).where('id', '=', existing.id).execute();
        return { workflow: workflowJson({ ...existing, ...input, updated_at: now }), created: false };
      }
      return { workflow: workflowJson(existing), created: false };
    }
    const row: WorkflowsTable = { id: newId('wf_', now), workspace_id: ws, host_id: hostId, name: input.name, status: input.status, created_at: now, updated_at: now };
    // Two registrations of one host id at once: the unique index keeps one; the loser reads it.
    const inserted = await this.db.insertInto('workflows').values(row).onConflict((oc) => oc.columns(['workspace_id', 'host_id']).doNothing()).executeTakeFirst();
    if (!Number(inserted.numInsertedOrUpdatedRows ?? 1)) return this.register(caller, hostId, input, now);
    return { workflow: workflowJson(row), created: true };
  }

  /** The workspace's workflows by name (keyset pages); `status` and `q` (in the name) narrow them. */
  async list(caller: Caller, o: { status?: WorkflowStatus; q?: string; limit: number; after?: WorkflowCursor }) {
    let q = this.db.selectFrom('workflows').selectAll().where('workspace_id', '=', caller.workspace.id);
    if (o.status) q = q.where('status', '=', o.status);
    if (o.q) q = q.where(engineOf(this.db).text.like(sql.ref('name'), `%${o.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`));
    if (o.after) {
      const [name, id] = o.after;
      q = q.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
    }
    const rows = await q.orderBy('name').orderBy('id').limit(o.limit + 1).execute();
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    return { items: shown.map(workflowJson), next: rows.length > o.limit && last ? ([last.name, last.id] as WorkflowCursor) : null };
  }

  private select(db: Db = this.db) {
    return db
      .selectFrom('workflow_enrolments as e')
      .innerJoin('workflows as w', 'w.id', 'e.workflow_id')
      .leftJoin('members as mb', 'mb.id', 'e.enrolled_by')
      .leftJoin('members as ms', 'ms.id', 'e.stopped_by')
      .selectAll('e')
      .select(['w.host_id as wf_host_id', 'w.name as wf_name', 'w.status as wf_status', 'mb.name as enrolled_by_name', 'ms.name as stopped_by_name']);
  }

  private static toJson(r: EnrolmentRow): EnrolmentJson {
    return {
      id: r.id,
      hostId: r.host_id,
      contactId: r.contact_id,
      workflow: { id: r.workflow_id, hostId: r.wf_host_id, name: r.wf_name, status: r.wf_status },
      status: r.status,
      step: r.step,
      enrolledAt: r.enrolled_at,
      endedAt: r.ended_at,
      enrolledBy: r.enrolled_by ? { id: r.enrolled_by, name: r.enrolled_by_name } : null,
      stoppedBy: r.stopped_by ? { id: r.stopped_by, name: r.stopped_by_name } : null,
      updatedAt: r.updated_at,
    };
  }

  /**
   * A contact's enrolments: `active` (enrolled; newest first) or `past` (completed or stopped; ended latest first),
   * in keyset pages.
   */
  async contactEnrolments(caller: Caller, contactId: string, o: { when: 'active' | 'past'; limit: number; after?: EnrolmentCursor }) {
    await assertVisible(this.db, caller, contactId);
    const key = o.when === 'active' ? 'e.enrolled_at' : 'e.updated_at';
    let q = this.select().where('e.workspace_id', '=', caller.workspace.id).where('e.contact_id', '=', contactId);
    q = o.when === 'active' ? q.where('e.status', '=', 'enrolled') : q.where('e.status', '!=', 'enrolled');
    if (o.after) {
      const [at, id] = o.after;
      q = q.where((eb) => eb.or([eb(key, '<', at), eb.and([eb(key, '=', at), eb('e.id', '<', id)])]));
    }
    const rows = (await q.orderBy(key, 'desc').orderBy('e.id', 'desc').limit(o.limit + 1).execute()) as EnrolmentRow[];
    const shown = rows.slice(0, o.limit);
    const last = shown[shown.length - 1];
    const next = rows.length > o.limit && last ? ([o.when === 'active' ? last.enrolled_at : last.updated_at, last.id] as EnrolmentCursor) : null;
    return { items: shown.map(Workflows.toJson), next };
  }

  private async enrolment(caller: Caller, id: string, db: Db = this.db): Promise<EnrolmentJson | null> {
    const row = (await this.select(db).where('e.workspace_id', '=', caller.workspace.id).where('e.id', '=', id).executeTakeFirst()) as EnrolmentRow | undefined;
    return row ? Workflows.toJson(row) : null;
  }

  private audit(trx: Db, caller: Caller, contactId: string, action: string, changes: Changes, e: { id: string; workflowId: string; hostId: string; name: string; step: string | null; requested?: boolean }, now: number) {
    return writeAudit(trx, {
      workspaceId: caller.workspace.id,
      contactId,
      actor: actorOf(caller),
      action,
      changes,
      context: { workflow: { id: e.workflowId, name: e.name, hostId: e.hostId, enrolmentId: e.id, step: e.step, ...(e.requested && { requested: true }) } },
      at: now,
    });
  }

  private publish(type: 'created' | 'updated', caller: Caller, contactId: string, id: string) {
    this.events?.publish({ type: `workflow.${type}`, workspaceId: caller.workspace.id, contactId, id });
  }

  /** From the record: adds the contact to an active workflow it is not in now (`workflow.enroll_requested`). */
  async enrol(caller: Caller, contactId: string, workflowId: string, now: number): Promise<EnrolmentJson> {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before adding it to a workflow.');
    const wf = await this.db.selectFrom('workflows').selectAll().where('workspace_id', '=', caller.workspace.id).where('id', '=', workflowId).executeTakeFirst();
    if (!wf) throw invalidField('workflowId', `No workflow with id ${workflowId} in this workspace.`);
    if (wf.status !== 'active') throw invalidField('workflowId', `“${wf.name}” is not active; only active workflows take contacts.`);
    const id = newId('we_', now);
    await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('workflow_enrolments').select('id').where('contact_id', '=', contactId).where('workflow_id', '=', wf.id).where('status', '=', 'enrolled').executeTakeFirst();
      if (current) throw new ApiError(409, 'already_enrolled', `The contact is already in “${wf.name}”.`, { enrolmentId: current.id });
      await trx
        .insertInto('workflow_enrolments')
        .values({ id, workspace_id: caller.workspace.id, contact_id: contactId, workflow_id: wf.id, host_id: null, status: 'enrolled', step: null, enrolled_at: now, ended_at: null, enrolled_by: caller.kind === 'member' ? caller.member.id : null, stopped_by: null, updated_at: now })
        .execute();
      await this.audit(trx, caller, contactId, 'workflow.enrolled', { status: { before: null, after: 'enrolled' } }, { id, workflowId: wf.id, hostId: wf.host_id, name: wf.name, step: null, requested: true }, now);
    });
    this.publish('created', caller, contactId, id);
    return (await this.enrolment(caller, id))!;
  }

  /** From the record: takes the contact out of a workflow it is in (`stopped`; `workflow.remove_requested`). */
  async remove(caller: Caller, contactId: string, enrolmentId: string, now: number): Promise<EnrolmentJson> {
    const contact = await getVisibleContact(this.db, caller, contactId);
    if (contact.deletedAt !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before changing its workflows.');
    const before = await this.enrolment(caller, enrolmentId);
    if (!before || before.contactId !== contactId) throw notFound('Enrolment');
    if (before.status !== 'enrolled') throw new ApiError(409, 'not_enrolled', `The contact is no longer in “${before.workflow.name}” (${before.status}).`, { status: before.status });
    await this.db.transaction().execute(async (trx) => {
      // Only while still enrolled: a host update or a second removal racing this one leaves it to them.
      const done = await trx
        .updateTable('workflow_enrolments')
        .set({ status: 'stopped', ended_at: now, stopped_by: caller.kind === 'member' ? caller.member.id : null, updated_at: now })
        .where('id', '=', enrolmentId)
        .where('status', '=', 'enrolled')
        .executeTakeFirst();
      if (!Number(done.numUpdatedRows)) throw new ApiError(409, 'not_enrolled', `The contact is no longer in “${before.workflow.name}”.`);
      await this.audit(trx, caller, contactId, 'workflow.stopped', { status: { before: 'enrolled', after: 'stopped' } }, { id: enrolmentId, workflowId: before.workflow.id, hostId: before.workflow.hostId, name: before.workflow.name, step: before.step, requested: true }, now);
    });
    this.publish('updated', caller, contactId, enrolmentId);
    return (await this.enrolment(caller, enrolmentId))!;
  }

  /**
   * The host records an enrolment by its own id: created (201) or brought to the state sent (200); the same call
   * again changes nothing. A contact merged since is followed to the contact it was merged into.
   */
  async record(caller: Caller, workflowHostId: string, hostId: string, input: EnrolmentRecord, now: number): Promise<{ enrolment: EnrolmentJson; created: boolean }> {
    assertHost(caller, 'records workflow enrolments');
    const ws = caller.workspace.id;
    const wf = await this.db.selectFrom('workflows').selectAll().where('workspace_id', '=', ws).where('host_id', '=', workflowHostId).executeTakeFirst();
    if (!wf) throw notFound('Workflow');
    const contactId = await liveContactOf(this.db, ws, input.contactId);
    if (input.endedAt != null && input.status === 'enrolled') throw invalidField('endedAt', 'An enrolment still running has no end time; send status completed or stopped.');
    let row = await this.db.selectFrom('workflow_enrolments').selectAll().where('workspace_id', '=', ws).where('host_id', '=', hostId).executeTakeFirst();
    if (!row && input.enrolmentId) {
      row = await this.db.selectFrom('workflow_enrolments').selectAll().where('workspace_id', '=', ws).where('id', '=', input.enrolmentId).executeTakeFirst();
      if (!row) throw invalidField('enrolmentId', `No enrolment with id ${input.enrolmentId} in this workspace.`);
      if (row.host_id !== null) throw invalidField('enrolmentId', `This enrolment is recorded under the host id ${row.host_id}.`);
    }
    if (row && row.workflow_id !== wf.id) throw new ApiError(409, 'conflict', `This enrolment belongs to another workflow.`, { workflowId: row.workflow_id });
    if (row && row.contact_id !== contactId) throw new ApiError(409, 'conflict', 'This enrolment belongs to another contact.', { contactId: row.contact_id });
    const step = input.step === undefined ? (row?.step ?? null) : input.step;
    const ended = input.status === 'enrolled' ? null : (input.endedAt ?? (row && row.status === input.status ? row.ended_at : null) ?? now);
    const ref = { workflowId: wf.id, hostId: wf.host_id, name: wf.name, step };
    if (!row) {
      const contact = await this.db.selectFrom('contacts').select('deleted_at').where('id', '=', contactId).executeTakeFirstOrThrow();
      if (contact.deleted_at !== null) throw new ApiError(409, 'contact_deleted', 'This contact is in the restore bin; restore it before recording enrolments.');
      const id = newId('we_', now);
      const values: WorkflowEnrolmentsTable = { id, workspace_id: ws, contact_id: contactId, workflow_id: wf.id, host_id: hostId, status: input.status, step, enrolled_at: input.enrolledAt ?? now, ended_at: ended, enrolled_by: null, stopped_by: null, updated_at: now };
      await this.db.transaction().execute(async (trx) => {
        const inserted = await trx.insertInto('workflow_enrolments').values(values).onConflict((oc) => oc.columns(['workspace_id', 'host_id']).doNothing()).executeTakeFirst();
        if (!Number(inserted.numInsertedOrUpdatedRows ?? 1)) throw new ApiError(409, 'conflict', 'This enrolment was recorded at the same time by another call; send it again.');
        await this.audit(trx, caller, contactId, 'workflow.enrolled', { status: { before: null, after: 'enrolled' }, ...(step && { step: { before: null, after: step } }) }, { id, ...ref }, values.enrolled_at);
        if (input.status !== 'enrolled') await this.audit(trx, caller, contactId, `workflow.${input.status}`, { status: { before: 'enrolled', after: input.status } }, { id, ...ref }, ended ?? now);
      });
      this.publish('created', caller, contactId, id);
      return { enrolment: (await this.enrolment(caller, id))!, created: true };
    }
    const before = row;
    const next = { host_id: hostId, status: input.status, step, enrolled_at: input.enrolledAt ?? before.enrolled_at, ended_at: ended };
    const same = (Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === before[k]);
    if (same) return { enrolment: (await this.enrolment(caller, before.id))!, created: false };
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('workflow_enrolments').set({ ...next, updated_at: now }).where('id', '=', before.id).execute();
      const e = { id: before.id, ...ref };
      if (next.status !== before.status) {
        const action = next.status === 'enrolled' ? 'workflow.enrolled' : `workflow.${next.status}`;
        await this.audit(trx, caller, contactId, action, { status: { before: before.status, after: next.status }, ...(step !== before.step && { step: { before: before.step, after: step } }) }, e, now);
      } else if (step !== before.step) {
        await this.audit(trx, caller, contactId, 'workflow.step_changed', { step: { before: before.step, after: step } }, e, now);
      }
    });
    this.publish('updated', caller, contactId, before.id);
    return { enrolment: (await this.enrolment(caller, before.id))!, created: false };
  }

  /** An enrolment as webhooks carry it (inside the change's transaction). */
  static async json(trx: Db, id: string): Promise<EnrolmentJson | null> {
    const self = new Workflows(trx, undefined);
    const row = (await self.select(trx).where('e.id', '=', id).executeTakeFirst()) as EnrolmentRow | undefined;
    return row ? Workflows.toJson(row) : null;
  }
}
