import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { ShareGate } from '../domain/share-gate.js';
import { bearer } from '../http/auth.js';
import { clientIpOf } from '../http/client-ip.js';
import { GATE_BODY_BYTES, readTextBody, REPORT_BODY_BYTES } from '../http/body-limit.js';
import { sendContent } from '../http/content.js';
import { ApiError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { documents, fails, responds } from '../http/route-meta.js';
import { okJson } from '../openapi/schemas/common.js';
import { gateInfoJson, openedViewJson, sendResultJson } from '../openapi/schemas/share.js';

const slugParam = z.object({ slug: z.string().min(1).max(100) });
const channel = z.enum(['email', 'whatsapp']);
const sendBody = z.object({ channel, identifier: z.string().trim().min(1).max(320) }).strict();
const verifyBody = z.object({ channel, identifier: z.string().trim().min(1).max(320), code: z.string().trim().min(1).max(12) }).strict();
const openBody = z.object({ channel: channel.optional(), identifier: z.string().trim().min(1).max(320).optional() }).strict();
const contentQuery = z.object({ download: z.enum(['0', '1']).optional(), t: z.string().max(4000).optional() }).strict();
const reportBody = z
  .object({
    durationMs: z.number().int().min(0).max(7 * 86_400_000).optional(),
    pages: z.array(z.number().int().min(1).max(100_000)).max(5000).optional(),
    downloaded: z.boolean().optional(),
    /** sendBeacon cannot set headers: the token may travel in the body. */
    token: z.string().max(4000).optional(),
  })
  .strict();

/** For the OpenAPI document: the routes that read a viewer token (header, `?t=`, or the report's body). */
const viewerAuth = documents({
  security: ['viewerToken'],
  errors: { 401: ['viewer_token_required', 'viewer_token_invalid', 'viewer_token_expired', 'viewer_token_revoked'], 403: ['viewer_token_scope'] },
});

/** The document bytes in their own media type: whole (200), a byte range (206), not modified (304), or a bad range (416). */
const contentAnswers = documents({
  responses: {
    200: { mediaType: 'application/octet-stream', description: 'The document bytes (sent with its own media type).' },
    206: { mediaType: 'application/octet-stream', description: 'The requested byte range.' },
    304: { description: 'Not modified (If-None-Match).' },
    416: { description: 'The range is outside the file (Content-Range: bytes */size); no body.' },
  },
  errors: { 403: ['download_not_allowed'], 404: ['link_unavailable'], 415: ['not_viewable'] },
});

const ALLOW_HEADERS = 'Authorization, Content-Type, Range, If-None-Match, If-Range';
const EXPOSE_HEADERS = 'Content-Disposition, Content-Length, Content-Range, Accept-Ranges, ETag, Retry-After';

/** The public viewer API is open to every origin and never uses cookies (no Allow-Credentials). */
const openCors = createMiddleware(async (c, next) => {
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
      'Access-Control-Allow-Headers': ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
    });
  }
  await next();
  c.res.headers.set('Access-Control-Allow-Origin', '*');
  c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  c.res.headers.set('Cache-Control', c.res.headers.get('Cache-Control') ?? 'no-store');
  c.res.headers.set('Referrer-Policy', 'no-referrer');
});

/** /api/v1/public/share/:slug — what the gate needs, codes, opening, the document bytes, view reports. */
export function shareViewerRoutes(deps: AppDeps) {
  const gate = new ShareGate(deps);
  const ip = clientIpOf(deps.config?.trustProxy ?? false);
  return new Hono()
    .use(openCors)
    .get('/:slug', responds(200, gateInfoJson, 'What the gate asks for (and the document name when there is no gate).'), fails(404, 'link_unavailable'), fails(429, 'rate_limited'), validate('param', slugParam), async (c) => c.json(await gate.info(c.req.valid('param').slug)))
    .post('/:slug/send-code', responds(202, sendResultJson, 'The code is on its way.'), fails(400, 'no_code_needed', 'no_gate', 'wrong_channel'), fails(403, 'access_denied'), fails(404, 'link_unavailable'), fails(422, 'invalid_field'), fails(429, 'rate_limited', 'link_cooling_down', 'identifier_locked', 'resend_too_soon', 'too_many_codes'), fails(503, 'delivery_failed'), validate('param', slugParam), validate('json', sendBody, { maxBytes: GATE_BODY_BYTES }), async (c) => {
      const { channel: ch, identifier } = c.req.valid('json');
      return c.json(await gate.sendCode(c.req.valid('param').slug, ch, identifier, ip(c)), 202);
    })
    .post('/:slug/verify', responds(201, openedViewJson, 'The viewer token and what it opens.'), fails(400, 'code_dead', 'code_expired', 'code_used', 'code_wrong', 'no_code', 'no_code_needed', 'no_gate', 'wrong_channel'), fails(403, 'access_denied'), fails(404, 'link_unavailable'), fails(422, 'invalid_field'), fails(429, 'rate_limited', 'link_cooling_down', 'identifier_locked'), fails(503, 'delivery_failed'), validate('param', slugParam), validate('json', verifyBody, { maxBytes: GATE_BODY_BYTES }), async (c) => {
      const { channel: ch, identifier, code } = c.req.valid('json');
      return c.json(await gate.verifyCode(c.req.valid('param').slug, ch, identifier, code, ip(c)), 201);
    })
    .post('/:slug/open', responds(201, openedViewJson, 'The viewer token and what it opens.'), fails(400, 'code_required', 'wrong_channel'), fails(403, 'access_denied'), fails(404, 'link_unavailable'), fails(422, 'invalid_field'), fails(429, 'rate_limited'), validate('param', slugParam), validate('json', openBody, { maxBytes: GATE_BODY_BYTES }), async (c) => {
      return c.json(await gate.open(c.req.valid('param').slug, c.req.valid('json'), ip(c)), 201);
    })
    .on(['GET', 'HEAD'], '/:slug/content', contentAnswers, viewerAuth, validate('param', slugParam), validate('query', contentQuery), async (c) => {
      const { download, t } = c.req.valid('query');
      const { link, claims } = await gate.viewer(c.req.valid('param').slug, bearer(c.req.header('authorization')) ?? t ?? null);
      const doc = await deps.db.selectFrom('documents').selectAll().where('id', '=', link.document_id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!doc) throw new ApiError(404, 'link_unavailable', 'This link is not available. Ask the person who shared it for a new one.');
      if (download === '1') {
        if (link.allow_download !== 1) throw new ApiError(403, 'download_not_allowed', 'Downloading is not allowed for this link.');
        if (!c.req.header('range') && c.req.method === 'GET') await gate.report(claims.vid, { downloaded: true });
        return sendContent(c, deps.blobs, doc, { inline: false });
      }
      const inline = ['pdf', 'png', 'jpg', 'gif', 'webp'].includes(doc.kind);
      const text = ['txt', 'csv', 'md'].includes(doc.kind) || doc.media_type.startsWith('text/');
      if (!inline && !text) throw new ApiError(415, 'not_viewable', 'This file cannot be shown in the browser.');
      return sendContent(c, deps.blobs, doc, { inline });
    })
    // Read as text whatever the content type: sendBeacon sends text/plain so that no preflight is needed.
    .post('/:slug/report', responds(200, okJson, 'Recorded.'), fails(400, 'bad_request'), fails(413, 'payload_too_large'), documents({ validates: { target: 'json', schema: reportBody, maxBytes: REPORT_BODY_BYTES } }), viewerAuth, validate('param', slugParam), async (c) => {
      const raw = await readTextBody(c, REPORT_BODY_BYTES);
      let parsedJson: unknown;
      try {
        parsedJson = JSON.parse(raw);
      } catch {
        throw new ApiError(400, 'bad_request', 'The report must be JSON.');
      }
      const parsed = reportBody.safeParse(parsedJson);
      if (!parsed.success) throw new ApiError(400, 'validation_failed', 'Invalid report.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const body = parsed.data;
      const { claims } = await gate.viewer(c.req.valid('param').slug, bearer(c.req.header('authorization')) ?? body.token ?? null);
      await gate.report(claims.vid, body);
      return c.json({ ok: true });
    });
}
