import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import {
  isCurrency,
  isDate,
  MAX_LOST_REASON,
  MAX_NAME,
  MAX_SOURCE,
  MAX_VALUE,
  Opportunities,
  OPPORTUNITY_STATUSES,
  type OpportunityCursor,
  type OpportunityJson,
} from '../domain/opportunities/opportunities.js';
import { MAX_PIPELINE_NAME, MAX_STAGE_NAME, MAX_STAGES, Pipelines, type PipelineJson } from '../domain/opportunities/pipelines.js';
import { assertCan } from '../http/auth.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { documents, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { cursorPage } from '../openapi/schemas/common.js';

const id = z.string().min(1).max(64);
const idParam = z.object({ id }).strict();
const stageParam = z.object({ id, stageId: id }).strict();
const linkParam = z.object({ id, contactId: id }).strict();
const pipelineName = z.string().trim().min(1, 'Give the pipeline a name.').max(MAX_PIPELINE_NAME);
const stageName = z.string().trim().min(1, 'Give the stage a name.').max(MAX_STAGE_NAME);
const name = z.string().trim().min(1, 'Give the opportunity a name.').max(MAX_NAME);
const status = z.enum(OPPORTUNITY_STATUSES);
const value = z.number().int('The value is in integer minor units (cents).').min(0).max(MAX_VALUE);
const currency = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine(isCurrency, 'Not an ISO 4217 currency code.');
const closeDate = z.string().refine(isDate, 'A date as YYYY-MM-DD.');
const text = (max: number) => z.string().trim().max(max).transform((s) => s || null);
const role = z.enum(['primary', 'associated']);

const pipelineBody = z.object({ name: pipelineName, stages: z.array(stageName).min(1, 'A pipeline needs at least one stage.').max(MAX_STAGES) }).strict();
const renameBody = z.object({ name: pipelineName }).strict();
const stageBody = z.object({ name: stageName, position: z.number().int().min(0).max(MAX_STAGES).optional() }).strict();
const stageRenameBody = z.object({ name: stageName }).strict();
const orderBody = z.object({ stageIds: z.array(id).min(1).max(MAX_STAGES) }).strict();

const createBody = z
  .object({
    name,
    pipelineId: id,
    stageId: id.optional(),
    value: value.optional(),
    currency,
    status: status.optional(),
    lostReason: text(MAX_LOST_REASON).nullable().optional(),
    ownerId: id.nullable().optional(),
    source: text(MAX_SOURCE).nullable().optional(),
    closeDate: closeDate.nullable().optional(),
    /** The primary contact. */
    contactId: id.optional(),
  })
  .strict();
const patchBody = createBody
  .omit({ contactId: true })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
const linkBody = z.object({ contactId: id, role: role.default('associated') }).strict();
const listQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    status: status.optional(),
    pipelineId: id.optional(),
    stageId: id.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().max(500).optional(),
  })
  .strict();
const contactQuery = z.object({ status: status.optional(), limit: z.coerce.number().int().min(1).max(200).default(100) }).strict();

// What the routes answer (the OpenAPI document shows these; the server tests check every answer against them).
const stageJson = z.object({ id: z.string(), name: z.string(), position: z.number().int(), opportunityCount: z.number().int() }).strict();
const pipelineJson = z.object({ id: z.string(), name: z.string(), stages: z.array(stageJson), createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof pipelineJson>, PipelineJson>>();
const opportunityJson = z
  .object({
    id: z.string(),
    name: z.string(),
    pipeline: z.object({ id: z.string(), name: z.string() }).strict(),
    stage: z.object({ id: z.string(), name: z.string(), position: z.number().int() }).strict(),
    value: z.number().int(),
    currency: z.string(),
    status,
    lostReason: z.string().nullable(),
    owner: z.object({ id: z.string(), name: z.string().nullable() }).strict().nullable(),
    source: z.string().nullable(),
    closeDate: z.string().nullable(),
    statusChangedAt: z.number().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
    contacts: z.array(z.object({ id: z.string(), name: z.string().nullable(), avatarUrl: z.string().nullable(), role }).strict()),
    canDelete: z.boolean(),
  })
  .strict();
sameShape<SameShape<z.output<typeof opportunityJson>, OpportunityJson>>();
const opportunityPage = cursorPage(opportunityJson);
const opportunityList = z.object({ items: z.array(opportunityJson) }).strict();

/** Unknown pipeline, stage, owner or contact (422); the contact is in the restore bin (409). */
const writeErrors = documents({ errors: { 409: ['contact_deleted'], 422: ['invalid_field'] } });
const stageErrors = documents({ errors: { 409: ['stage_in_use', 'last_stage'], 422: ['invalid_field'] } });
const pipelineErrors = documents({ errors: { 409: ['pipeline_in_use'] } });
const isCursor = (v: unknown): v is OpportunityCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

/** /api/v1/pipelines — pipelines and their ordered stages: every member reads them; `pipelines.manage` changes them. */
export function pipelineRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const pipelines = new Pipelines(db);
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(pipelineJson) }).strict()), async (c) => c.json({ items: await pipelines.list(c.var.caller) }))
    .post('/', responds(201, pipelineJson, 'The pipeline created.'), writeErrors, validate('json', pipelineBody), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      return c.json(await pipelines.create(c.var.caller, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:id', responds(200, pipelineJson), validate('param', idParam), async (c) => c.json(await pipelines.get(c.var.caller, c.req.valid('param').id)))
    .patch('/:id', responds(200, pipelineJson, 'The pipeline renamed.'), validate('param', idParam), validate('json', renameBody), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      return c.json(await pipelines.rename(c.var.caller, c.req.valid('param').id, c.req.valid('json').name, clock.now()));
    })
    .delete('/:id', responds(200, pipelineJson, 'The pipeline as it was, deleted with its stages.'), pipelineErrors, validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      return c.json(await pipelines.remove(c.var.caller, c.req.valid('param').id, clock.now()));
    })
    .post('/:id/stages', responds(201, pipelineJson, 'The pipeline with the stage added.'), stageErrors, validate('param', idParam), validate('json', stageBody), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      return c.json(await pipelines.addStage(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    .put('/:id/stages/order', responds(200, pipelineJson, 'The pipeline with its stages in the new order.'), stageErrors, validate('param', idParam), validate('json', orderBody), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      return c.json(await pipelines.reorder(c.var.caller, c.req.valid('param').id, c.req.valid('json').stageIds, clock.now()));
    })
    .patch('/:id/stages/:stageId', responds(200, pipelineJson, 'The pipeline with the stage renamed.'), stageErrors, validate('param', stageParam), validate('json', stageRenameBody), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      const p = c.req.valid('param');
      return c.json(await pipelines.renameStage(c.var.caller, p.id, p.stageId, c.req.valid('json').name, clock.now()));
    })
    .delete('/:id/stages/:stageId', responds(200, pipelineJson, 'The pipeline without the stage.'), stageErrors, validate('param', stageParam), async (c) => {
      assertCan(c.var.caller, 'pipelines.manage');
      const p = c.req.valid('param');
      return c.json(await pipelines.removeStage(c.var.caller, p.id, p.stageId, clock.now()));
    });
}

/** /api/v1/opportunities — search, create, read, change, delete, and link or unlink contacts. */
export function opportunityRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const opportunities = new Opportunities(db, deps.events);
  return new Hono<Env>()
    .get('/', responds(200, opportunityPage), validate('query', listQuery), async (c) => {
      const { limit, cursor, ...f } = c.req.valid('query');
      const page = await opportunities.list(c.var.caller, { ...f, q: f.q || undefined }, { limit, after: decodeCursor(cursor, isCursor) });
      return c.json({ items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null });
    })
    .post('/', responds(201, opportunityJson, 'The opportunity created.'), writeErrors, validate('json', createBody), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await opportunities.create(c.var.caller, c.req.valid('json'), clock.now()), 201);
    })
    .get('/:id', responds(200, opportunityJson), validate('param', idParam), async (c) => c.json(await opportunities.get(c.var.caller, c.req.valid('param').id)))
    .patch('/:id', responds(200, opportunityJson, 'The opportunity as it is now.'), writeErrors, validate('param', idParam), validate('json', patchBody), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await opportunities.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()));
    })
    .delete('/:id', responds(200, opportunityJson, 'The opportunity deleted.'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await opportunities.remove(c.var.caller, c.req.valid('param').id, clock.now()));
    })
    .post('/:id/contacts', responds(200, opportunityJson, 'The opportunity with the contact linked.'), writeErrors, validate('param', idParam), validate('json', linkBody), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const body = c.req.valid('json');
      return c.json(await opportunities.link(c.var.caller, c.req.valid('param').id, body.contactId, body.role, clock.now()));
    })
    .delete('/:id/contacts/:contactId', responds(200, opportunityJson, 'The opportunity without the contact (never deleted).'), validate('param', linkParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const p = c.req.valid('param');
      return c.json(await opportunities.unlink(c.var.caller, p.id, p.contactId, clock.now()));
    });
}

/** /api/v1/contacts/:id/opportunities — a contact's opportunities, open ones first. */
export function contactOpportunityRoutes(deps: AppDeps) {
  const opportunities = new Opportunities(deps.db, deps.events);
  return new Hono<Env>().get('/:id/opportunities', responds(200, opportunityList), validate('param', idParam), validate('query', contactQuery), async (c) =>
    c.json(await opportunities.listForContact(c.var.caller, c.req.valid('param').id, c.req.valid('query'))),
  );
}
