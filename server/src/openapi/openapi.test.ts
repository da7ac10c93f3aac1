import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { z } from 'zod';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { requireSecretKey } from '../http/auth.js';
import { fails, responds } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { harness, type Harness } from '../testing.js';
import { responseChecker } from './check-response.js';
import { findOperations, openApiDocument, openApiPath, type OpenApiDocument } from './document.js';

/** Routes that take no credential at all, on purpose (each says why in docs/api*.md). */
const PUBLIC = [/^\/api\/v1\/openapi\.json$/, /^\/api\/v1\/public\/share\/:slug(\/(send-code|verify|open))?$/, /^\/api\/v1\/exports\/:token$/];


type Op = { parameters?: { name: string; in: string }[]; requestBody?: unknown; security?: unknown[]; responses: Record<string, unknown> };

describe('OpenAPI document', () => {
  let h: Harness;
  let doc: OpenApiDocument;
  before(async () => {
    h = await harness();
    const res = await h.call('GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200);
    doc = res.body;
  });
  after(() => h.close());

  it('has every registered /api/v1 route, with its path parameters, query, body, credentials and error answers', () => {
    const missing: string[] = [];
    for (const op of findOperations(h.app)) {
      const name = `${op.method} ${op.path}`;
      const documented = doc.paths[openApiPath(op.path)]?.[op.method.toLowerCase()] as Op | undefined;
      if (!documented) {
        missing.push(`${name}: not in the document`);
        continue;
      }
      const params = documented.parameters ?? [];
      for (const p of op.path.matchAll(/:(\w+)/g)) if (!params.some((q) => q.in === 'path' && q.name === p[1])) missing.push(`${name}: path parameter ${p[1]} is not described`);
      for (const meta of op.metas) {
        const v = meta.validates;
        if (v?.target === 'json' && !documented.requestBody) missing.push(`${name}: validates a JSON body the document does not describe`);
        if (v?.target === 'query') {
          for (const key of Object.keys((v.schema as z.ZodObject).shape ?? {})) if (!params.some((q) => q.in === 'query' && q.name === key)) missing.push(`${name}: query parameter ${key} is not described`);
        }
      }
      if (!documented.security?.length && !PUBLIC.some((re) => re.test(op.path))) {
        missing.push(`${name}: no credential is documented (put the auth middleware, or documents({ security }) for a check inside the handler, in front of it)`);
      }
      if (!documented.responses.default) missing.push(`${name}: no error answer is documented`);
    }
    assert.deepEqual(missing, [], `The OpenAPI document misses:\n${missing.join('\n')}`);
    assert.ok(findOperations(h.app).length > 90, 'every route of the app is walked');
  });

  it('picks up a route it has never seen, with its validators, without any list being edited', () => {
    const app = new Hono()
      .use('/api/v1/widgets/*', requireSecretKey({} as never))
      .route(
        '/api/v1/widgets',
        new Hono().post('/:widgetId/spin', responds(201, z.object({ spun: z.boolean() })), validate('param', z.object({ widgetId: z.string().max(9) })), validate('query', z.object({ fast: z.enum(['0', '1']).optional() })), validate('json', z.object({ turns: z.number().int().min(1) })), (c) => c.json({ spun: true }, 201)),
      );
    const fresh = openApiDocument(app);
    const op = fresh.paths['/api/v1/widgets/{widgetId}/spin']?.post as Op & { requestBody: { content: Record<string, { schema: { required: string[] } }> } };
    assert.ok(op, 'the new route is in the document');
    assert.deepEqual(op.parameters?.map((p) => `${p.in}:${p.name}`), ['path:widgetId', 'query:fast']);
    assert.deepEqual(op.requestBody.content['application/json']!.schema.required, ['turns']);
    assert.deepEqual(op.security, [{ secretKey: [] }]);
    assert.ok(op.responses['201'] && op.responses['400'] && op.responses['401'] && op.responses['413']);
  });

  it('describes the bodies a handler reads itself: a picture, a CSV, a message of three kinds, a provider webhook', () => {
    const body = (path: string, method: string) => (doc.paths[path]?.[method] as Op | undefined)?.requestBody as { content: Record<string, { schema: Record<string, unknown> }> } | undefined;
    assert.deepEqual(Object.keys(body('/api/v1/contacts/{id}/avatar', 'put')?.content ?? {}), ['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
    assert.deepEqual(Object.keys(body('/api/v1/contacts/import', 'post')?.content ?? {}), ['text/csv']);
    const message = body('/api/v1/messages', 'post')?.content ?? {};
    assert.deepEqual(Object.keys(message), ['application/json', 'multipart/form-data', 'message/rfc822']);
    assert.ok(JSON.stringify(message['application/json']!.schema).includes('attachments'), 'the JSON message is described by its schema');
    assert.deepEqual(Object.keys(body('/api/v1/payments/webhook', 'post')?.content ?? {}), ['application/json']);
  });

  it('describes credentials, the error shape and cursor pagination', () => {
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['adminKey', 'orgKey', 'orgSessionToken', 'providerSignature', 'secretKey', 'sessionToken', 'signedUrl', 'streamTicket', 'viewerToken']);
    const contacts = doc.paths['/api/v1/contacts/{id}/tasks']!.get as Op & { 'x-pagination'?: unknown };
    assert.deepEqual(contacts.security, [{ secretKey: [] }, { sessionToken: [] }]);
    assert.ok(contacts['x-pagination'], 'a list with cursor and limit is marked as paginated');
    assert.deepEqual((doc.paths['/api/v1/admin/workspaces']!.get as Op).security, [{ adminKey: [] }]);
    assert.deepEqual((doc.paths['/api/v1/public/share/{slug}/content']!.get as Op).security, [{ viewerToken: [] }]);
    assert.deepEqual(((doc.paths['/api/v1/sessions']!.post as Op).responses['401'] as { 'x-error-codes': string[] })['x-error-codes'], ['unauthorized']);
  });

  it('has only schemas a JSON Schema 2020-12 validator compiles', () => {
    const ajv = new Ajv2020({ strict: false, logger: false });
    const broken: string[] = [];
    const seen = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, Op & { requestBody?: { content: Record<string, { schema: object }> } }][]) {
        const schemas = [
          ...(op.parameters ?? []).map((p) => (p as unknown as { schema: object }).schema),
          ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
          ...Object.values(op.responses).flatMap((r) => Object.values((r as { content?: Record<string, { schema: object }> }).content ?? {}).map((c) => c.schema)),
        ];
        for (const schema of schemas) {
          const key = JSON.stringify(schema);
          if (seen.has(key)) continue;
          seen.add(key);
          try {
            ajv.compile({ ...schema, components: doc.components });
          } catch (err) {
            broken.push(`${method.toUpperCase()} ${path}: ${(err as Error).message}`);
          }
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc) as unknown as Parameters<Validator['validate']>[0]);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 3000));
    assert.equal(doc.openapi, '3.1.0');
  });

  it('declares the success answer of every operation: a schema for JSON, the media type for files and streams', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [string, Op][]) {
        const success = Object.keys(op.responses).filter((k) => /^[23]\d\d$/.test(k));
        if (!success.length) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    // Every JSON-answering operation declares its success body: a new route must too (responds(), or respondsRaw()
    // for a file, a stream or no body).
    assert.deepEqual(missing.sort(), [], `Operations without a declared success answer (declare them with responds() or respondsRaw()):\n${missing.join('\n')}`);
  });

  it('lists every error code a route declares, under its status', () => {
    const app = new Hono().route('/api/v1/things', new Hono().post('/', fails(409, 'thing_taken'), fails(422, 'invalid_field'), (c) => c.json({}, 201)));
    const op = openApiDocument(app).paths['/api/v1/things']!.post as Op;
    assert.deepEqual((op.responses['409'] as { 'x-error-codes': string[] })['x-error-codes'], ['thing_taken', 'conflict']);
    assert.deepEqual((op.responses['422'] as { 'x-error-codes': string[] })['x-error-codes'], ['invalid_field']);
    const check = responseChecker(openApiDocument(app));
    assert.equal(check('POST', '/api/v1/things', 409, 'application/json', { error: { code: 'thing_taken', message: 'x' } }), null);
    assert.match(check('POST', '/api/v1/things', 409, 'application/json', { error: { code: 'thing_gone', message: 'x' } }) ?? '', /409 thing_gone, a code the document does not list under 409/);
    assert.match(check('POST', '/api/v1/things', 410, 'application/json', { error: { code: 'expired', message: 'x' } }) ?? '', /a status the document does not list/);
    assert.equal(check('POST', '/api/v1/things', 500, 'application/json', { error: { code: 'internal', message: 'x' } }), null);
  });

  it('checks answers against the document: a body or an error that drifted is reported with its route', () => {
    const check = responseChecker(doc);
    const task = { id: 't', contactId: 'c', contactName: null, title: 'x', description: '', dueAt: 1, assignee: { id: 'm', name: null }, status: 'open', completedAt: null, completedBy: null, createdBy: null, createdAt: 1, updatedAt: 1, canDelete: true };
    assert.equal(check('POST', '/api/v1/contacts/c1/tasks', 201, 'application/json', task), null);
    assert.match(check('POST', '/api/v1/contacts/c1/tasks', 201, 'application/json', { ...task, priority: 'high' }) ?? '', /POST \/api\/v1\/contacts\/c1\/tasks answered 201.*must NOT have additional properties 'priority'/);
    assert.match(check('GET', '/api/v1/tasks', 200, 'application/json', { items: [{ ...task, dueAt: 'tomorrow' }], nextCursor: null }) ?? '', /\/items\/0\/dueAt must be number/);
    assert.match(check('GET', '/api/v1/tasks', 400, 'application/json', { error: 'bad' }) ?? '', /\/error must be object/);
    assert.match(check('GET', '/api/v1/tasks', 400, 'text/plain', 'bad') ?? '', /errors must be JSON/);
    assert.match(check('PUT', '/api/v1/tasks', 200, 'application/json', {}) ?? '', /no operation for PUT \/api\/v1\/tasks/);
    assert.equal(check('GET', '/api/v1/nothing-here', 404, 'application/json', { error: { code: 'not_found', message: 'No route.' } }), null);
  });

  it('answers in the harness are checked: a real answer of a declared route validates', async () => {
    const ws = await h.workspace();
    const res = await h.call('GET', '/api/v1/tasks?status=open', { token: ws.secretKey });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { items: [], nextCursor: null });
  });
});

describe('/docs', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.close());

  it('serves the reference page and its files from this server, under a CSP that allows only this origin', async () => {
    const page = await h.app.request('/docs');
    assert.equal(page.status, 200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(html, /https?:\/\//, 'nothing is loaded from another host');
    assert.doesNotMatch(html, /<script>[^<]/, 'no inline script (the CSP would block it)');
    for (const src of [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      const res = await h.app.request(src);
      assert.equal(res.status, 200, src);
      assert.ok((await res.text()).length > 0, src);
    }
    assert.match(await (await h.app.request('/docs/init.js')).text(), /\/api\/v1\/openapi\.json/);
    assert.equal((await h.app.request('/docs/other.js')).status, 404);
  });
});
