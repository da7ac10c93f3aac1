import { Hono } from 'hono';
import { z } from 'zod';
import { documentLimits, type AppDeps } from '../deps.js';
import { documentPayload, signPayload, verifyPayload, zipPayload } from '../domain/signed-links.js';
import { sendContent } from '../http/content.js';
import type { Env } from '../http/env.js';
import { ApiError, notFound } from '../http/errors.js';
import { documents, fails, responds, respondsRaw } from '../http/route-meta.js';
import { signedLinkJson } from '../openapi/schemas/common.js';
import { validate } from '../http/validate.js';
import { sendZip } from '../http/zip.js';
import { documentsOf } from './documents.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const inlineQuery = z.object({ inline: z.enum(['0', '1']).optional() }).strict();
const idsBody = z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(500) }).strict();
const linkBody = z.object({ inline: z.boolean().optional() }).strict().optional();
const signedQuery = z.object({ exp: z.coerce.number().int(), sig: z.string().min(1).max(100), inline: z.enum(['0', '1']).optional() }).strict();
const signedZipQuery = z.object({ ws: z.string().min(1).max(64), ids: z.string().min(1).max(40_000), exp: z.coerce.number().int(), sig: z.string().min(1).max(100) }).strict();

const badLink = () => new ApiError(403, 'link_invalid', 'This link is invalid or has expired; ask for a new one.');

/** The origin signed links point at: the configured public URL, else the request's own origin. */
function baseUrl(deps: AppDeps, requestUrl: string) {
  return (deps.config?.publicUrl ?? new URL(requestUrl).origin).replace(/\/$/, '');
}

/** /api/v1/documents — content download, signed links, bulk ZIP (token or secret key). */
export function documentContentRoutes(deps: AppDeps) {
  const docs = documentsOf(deps);
  const limits = documentLimits(deps.config);
  const secret = deps.secrets.tokenSecret;
  return new Hono<Env>()
    .post('/zip', respondsRaw(200, 'application/zip', 'The documents in one zip file.'), fails(404, 'not_found'), validate('json', idsBody), async (c) => {
      const ids = [...new Set(c.req.valid('json').ids)];
      const rows = await docs.getMany(c.var.caller, ids);
      return sendZip(c, deps.blobs, rows, 'documents.zip');
    })
    .post('/zip/link', responds(201, signedLinkJson, 'A signed link to the zip file.'), fails(404, 'not_found'), validate('json', idsBody), async (c) => {
      const caller = c.var.caller;
      const ids = [...new Set(c.req.valid('json').ids)];
      await docs.getMany(caller, ids);
      const exp = Math.floor(deps.clock.now() / 1000) + limits.linkSeconds;
      const sig = signPayload(secret, zipPayload(caller.workspace.id, ids), exp);
      const url = `${baseUrl(deps, c.req.url)}/api/v1/signed/zip?ws=${encodeURIComponent(caller.workspace.id)}&ids=${ids.map(encodeURIComponent).join(',')}&exp=${exp}&sig=${sig}`;
      return c.json({ url, expiresAt: exp * 1000 }, 201);
    })
    .get('/:id/content', respondsRaw(200, 'application/octet-stream', 'The document bytes (its own media type; Range requests answer 206).'), fails(400, 'inline_not_allowed'), validate('param', idParam), validate('query', inlineQuery), async (c) => {
      const row = await docs.get(c.var.caller, c.req.valid('param').id);
      return sendContent(c, deps.blobs, row, { inline: c.req.valid('query').inline === '1' });
    })
    .post('/:id/link', responds(201, signedLinkJson, 'A signed link to the document\'s content.'), validate('param', idParam), validate('json', linkBody), async (c) => {
      const caller = c.var.caller;
      const row = await docs.get(caller, c.req.valid('param').id);
      const inline = c.req.valid('json')?.inline ?? false;
      const exp = Math.floor(deps.clock.now() / 1000) + limits.linkSeconds;
      const sig = signPayload(secret, documentPayload(caller.workspace.id, row.id, inline), exp);
      const url = `${baseUrl(deps, c.req.url)}/api/v1/signed/documents/${encodeURIComponent(row.id)}/content?exp=${exp}&sig=${sig}${inline ? '&inline=1' : ''}`;
      return c.json({ url, expiresAt: exp * 1000 }, 201);
    })
;
}

/** /api/v1/signed — public, no token: the signature in the URL is the credential. */
export function signedRoutes(deps: AppDeps) {
  const { db } = deps;
  const secret = deps.secrets.tokenSecret;
  return new Hono<Env>()
    .use(documents({ security: ['signedUrl'], errors: { 403: ['link_invalid'] } }))
    .get('/documents/:id/content', respondsRaw(200, 'application/octet-stream', 'The document bytes (its own media type).'), validate('param', idParam), validate('query', signedQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { exp, sig, inline } = c.req.valid('query');
      const now = deps.clock.now();
      const row = await db.selectFrom('documents').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!row || !verifyPayload(secret, documentPayload(row.workspace_id, row.id, inline === '1'), exp, sig, now)) throw badLink();
      return sendContent(c, deps.blobs, row, { inline: inline === '1', cacheSeconds: Math.max(0, exp - Math.floor(now / 1000)) });
    })
    .get('/zip', respondsRaw(200, 'application/zip', 'The documents in one zip file.'), validate('query', signedZipQuery), async (c) => {
      const { ws, ids: joined, exp, sig } = c.req.valid('query');
      const ids = joined.split(',');
      if (!verifyPayload(secret, zipPayload(ws, ids), exp, sig, deps.clock.now())) throw badLink();
      const rows = await db
        .selectFrom('documents')
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('id', 'in', ids)
        .where('deleted_at', 'is', null)
        .where('contact_id', 'in', db.selectFrom('contacts').select('contacts.id').where('contacts.workspace_id', '=', ws))
        .execute();
      if (rows.length === 0) throw notFound('Documents');
      const order = new Map(ids.map((id, i) => [id, i]));
      rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      return sendZip(c, deps.blobs, rows, 'documents.zip');
    });
}

