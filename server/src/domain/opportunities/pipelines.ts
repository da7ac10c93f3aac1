// Pipelines: a name and ordered stages. Managed by the host backend (secret key) and members with
// `pipelines.manage` (owners, managers); every member reads them (to create and move opportunities). Every change
// is audited for the workspace (no contact: like teams), in the change's transaction.
import type { Db } from '../../db/connection.js';
import type { Caller } from '../../http/env.js';
import { ApiError, invalidField, notFound } from '../../http/errors.js';
import { newId } from '../../ids.js';
import { writeAudit, type Changes } from '../audit.js';
import { actorOf } from '../contacts.js';

export const MAX_PIPELINE_NAME = 100;
export const MAX_STAGE_NAME = 60;
export const MAX_STAGES = 30;

export interface StageJson {
  id: string;
  name: string;
  position: number;
  /** Opportunities (not deleted) in the stage, whatever their status. */
  opportunityCount: number;
}

export interface PipelineJson {
  id: string;
  name: string;
  stages: StageJson[];
  createdAt: number;
  updatedAt: number;
}

const key = (name: string) => name.trim().toLowerCase();

/** The first repeated stage name (case-insensitive), as a field path. */
function repeated(names: string[], field = 'stages'): string | null {
  const seen = new Set<string>();
  for (const [i, n] of names.entries()) {
    if (seen.has(key(n))) return `${field}[${i}]`;
    seen.add(key(n));
  }
  return null;
}

export class Pipelines {
  constructor(private readonly db: Db) {}

  async list(caller: Caller): Promise<PipelineJson[]> {
    const pipelines = await this.db.selectFrom('pipelines').selectAll().where('workspace_id', '=', caller.workspace.id).orderBy('created_at').orderBy('id').execute();
    if (!pipelines.length) return [];
    const stages = await this.db
      .selectFrom('pipeline_stages as s')
      .select(['s.id', 's.pipeline_id', 's.name', 's.position'])
      .select((eb) =>
        eb
          .selectFrom('opportunities as o')
          .select((o) => o.fn.countAll<number>().as('n'))
          .whereRef('o.stage_id', '=', 's.id')
          .where('o.deleted_at', 'is', null)
          .as('count'),
      )
      .where('s.workspace_id', '=', caller.workspace.id)
      .orderBy('s.position')
      .execute();
    return pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      stages: stages.filter((s) => s.pipeline_id === p.id).map((s) => ({ id: s.id, name: s.name, position: s.position, opportunityCount: Number(s.count ?? 0) })),
      createdAt: p.created_at,
      updatedAt: p.updated_at,
    }));
  }

  async get(caller: Caller, id: string): Promise<PipelineJson> {
    const found = (await this.list(caller)).find((p) => p.id === id);
    if (!found) throw notFound('Pipeline');
    return found;
  }

  async create(caller: Caller, input: { name: string; stages: string[] }, now: number): Promise<PipelineJson> {
    const dup = repeated(input.stages);
    if (dup) throw invalidField(dup, 'Each stage of a pipeline needs its own name.');
    const id = newId('pl_', now);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('pipelines').values({ id, workspace_id: caller.workspace.id, name: input.name, created_at: now, updated_at: now }).execute();
      await trx
        .insertInto('pipeline_stages')
        .values(input.stages.map((name, position) => ({ id: newId('ps_', now), workspace_id: caller.workspace.id, pipeline_id: id, name, position, created_at: now })))
        .execute();
      await this.audit(trx, caller, 'pipeline.created', { pipeline: { before: null, after: { id, name: input.name, stages: input.stages } } }, now);
    });
    return this.get(caller, id);
  }

  async rename(caller: Caller, id: string, name: string, now: number): Promise<PipelineJson> {
    const p = await this.get(caller, id);
    if (p.name === name) return p;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('pipelines').set({ name, updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, 'pipeline.updated', { pipelineId: { before: id, after: id }, name: { before: p.name, after: name } }, now);
    });
    return this.get(caller, id);
  }

  async addStage(caller: Caller, id: string, input: { name: string; position?: number }, now: number): Promise<PipelineJson> {
    const p = await this.get(caller, id);
    if (p.stages.length >= MAX_STAGES) throw invalidField('name', `A pipeline has at most ${MAX_STAGES} stages.`);
    if (p.stages.some((s) => key(s.name) === key(input.name))) throw invalidField('name', `This pipeline already has a stage named “${input.name}”.`);
    const at = Math.min(input.position ?? p.stages.length, p.stages.length);
    const order = p.stages.map((s) => s.id);
    const stageId = newId('ps_', now);
    order.splice(at, 0, stageId);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('pipeline_stages').values({ id: stageId, workspace_id: caller.workspace.id, pipeline_id: id, name: input.name, position: at, created_at: now }).execute();
      await this.writeOrder(trx, order);
      await trx.updateTable('pipelines').set({ updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, 'pipeline.stage_added', { pipelineId: { before: id, after: id }, stage: { before: null, after: { id: stageId, name: input.name, position: at } } }, now);
    });
    return this.get(caller, id);
  }

  async renameStage(caller: Caller, id: string, stageId: string, name: string, now: number): Promise<PipelineJson> {
    const p = await this.get(caller, id);
    const stage = p.stages.find((s) => s.id === stageId);
    if (!stage) throw notFound('Stage');
    if (p.stages.some((s) => s.id !== stageId && key(s.name) === key(name))) throw invalidField('name', `This pipeline already has a stage named “${name}”.`);
    if (stage.name === name) return p;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('pipeline_stages').set({ name }).where('id', '=', stageId).execute();
      await trx.updateTable('pipelines').set({ updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, 'pipeline.stage_renamed', { pipelineId: { before: id, after: id }, stageId: { before: stageId, after: stageId }, name: { before: stage.name, after: name } }, now);
    });
    return this.get(caller, id);
  }

  /** `stageIds`: every stage of the pipeline, once each, in the new order. */
  async reorder(caller: Caller, id: string, stageIds: string[], now: number): Promise<PipelineJson> {
    const p = await this.get(caller, id);
    const known = new Set(p.stages.map((s) => s.id));
    stageIds.forEach((s, i) => {
      if (!known.has(s)) throw invalidField(`stageIds[${i}]`, `${s} is not a stage of this pipeline.`);
      if (stageIds.indexOf(s) !== i) throw invalidField(`stageIds[${i}]`, `${s} is listed twice.`);
    });
    if (stageIds.length !== known.size) throw invalidField('stageIds', `List every stage of the pipeline (${known.size}), each once.`);
    const before = p.stages.map((s) => s.id);
    if (before.every((s, i) => s === stageIds[i])) return p;
    await this.db.transaction().execute(async (trx) => {
      await this.writeOrder(trx, stageIds);
      await trx.updateTable('pipelines').set({ updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, 'pipeline.stages_reordered', { pipelineId: { before: id, after: id }, stageIds: { before, after: stageIds } }, now);
    });
    return this.get(caller, id);
  }

  /** Only an empty stage goes (409 `stage_in_use` otherwise), and never the pipeline's last one. */
  async removeStage(caller: Caller, id: string, stageId: string, now: number): Promise<PipelineJson> {
    const p = await this.get(caller, id);
    const stage = p.stages.find((s) => s.id === stageId);
    if (!stage) throw notFound('Stage');
    if (stage.opportunityCount > 0) {
      throw new ApiError(409, 'stage_in_use', `${stage.opportunityCount} ${stage.opportunityCount === 1 ? 'opportunity is' : 'opportunities are'} in the stage “${stage.name}”; move ${stage.opportunityCount === 1 ? 'it' : 'them'} to another stage first.`, { count: stage.opportunityCount });
    }
    if (p.stages.length === 1) throw new ApiError(409, 'last_stage', 'A pipeline keeps at least one stage.');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('pipeline_stages').where('id', '=', stageId).execute();
      await this.writeOrder(trx, p.stages.filter((s) => s.id !== stageId).map((s) => s.id));
      await trx.updateTable('pipelines').set({ updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, 'pipeline.stage_removed', { pipelineId: { before: id, after: id }, stage: { before: { id: stageId, name: stage.name, position: stage.position }, after: null } }, now);
    });
    return this.get(caller, id);
  }

  /**
   * A pipeline goes (with its stages) only when no opportunity points at it: 409 `pipeline_in_use` names how many are
   * in it, or that deleted ones (kept for history, which an unmerge may restore) still do.
   */
  async remove(caller: Caller, id: string, now: number): Promise<PipelineJson> {
    const p = await this.get(caller, id);
    const rows = await this.db
      .selectFrom('opportunities')
      .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>('deleted_at').as('deleted')])
      .where('pipeline_id', '=', id)
      .executeTakeFirstOrThrow();
    const live = Number(rows.all) - Number(rows.deleted);
    if (live > 0) {
      throw new ApiError(409, 'pipeline_in_use', `${live} ${live === 1 ? 'opportunity is' : 'opportunities are'} in the pipeline “${p.name}”; move ${live === 1 ? 'it' : 'them'} to another pipeline first.`, { count: live });
    }
    if (Number(rows.all) > 0) {
      throw new ApiError(409, 'pipeline_in_use', `Deleted opportunities of the pipeline “${p.name}” are kept for history and still point at it: rename it instead.`, { count: 0 });
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('pipelines').where('id', '=', id).execute();
      await this.audit(trx, caller, 'pipeline.deleted', { pipeline: { before: { id, name: p.name, stages: p.stages.map((s) => s.name) }, after: null } }, now);
    });
    return p;
  }

  /** A workspace audit row (no contact) for a pipeline change, by whoever made it. */
  private audit(trx: Db, caller: Caller, action: string, changes: Changes, now: number) {
    return writeAudit(trx, { workspaceId: caller.workspace.id, contactId: null, actor: actorOf(caller), action, changes, at: now });
  }

  private async writeOrder(trx: Db, ids: string[]) {
    for (const [position, id] of ids.entries()) await trx.updateTable('pipeline_stages').set({ position }).where('id', '=', id).execute();
  }

  /** The stage, checked to be one of the pipeline's (for opportunity writes); the pipeline's first when `stageId` is absent. */
  async stageOf(caller: Caller, pipelineId: string, stageId: string | undefined, field = 'stageId') {
    const pipeline = await this.db.selectFrom('pipelines').select(['id', 'name']).where('workspace_id', '=', caller.workspace.id).where('id', '=', pipelineId).executeTakeFirst();
    if (!pipeline) throw invalidField('pipelineId', `No pipeline with id ${pipelineId} in this workspace.`);
    let q = this.db.selectFrom('pipeline_stages').select(['id', 'name', 'position']).where('pipeline_id', '=', pipelineId);
    q = stageId ? q.where('id', '=', stageId) : q.orderBy('position').limit(1);
    const stage = await q.executeTakeFirst();
    if (!stage) throw invalidField(field, stageId ? `${stageId} is not a stage of the pipeline “${pipeline.name}”.` : `The pipeline “${pipeline.name}” has no stage.`);
    return { pipeline, stage };
  }
}
