import { z } from 'zod';
import { metaOf, sameShape, type RouteMeta, type SameShape, type SecurityScheme } from '../http/route-meta.js';
import { describeErrorCodes } from './error-codes.js';

/**
 * The OpenAPI 3.1 document, read off the app's registered routes: every `/api/v1` route hono knows is an operation;
 * its parameters and body come from the zod schemas its validate() middleware carries, its credentials and error
 * answers from the auth middleware in front of it. Nothing here lists routes, so a route mounted tomorrow is in the
 * document tomorrow.
 */

type JsonSchema = Record<string, unknown>;
interface RegisteredRoute {
  method: string;
  path: string;
  handler: unknown;
}
/** What the document needs of a hono app (any app: the tests build one with a route the real app lacks). */
export interface RoutedApp {
  routes: RegisteredRoute[];
}

/** One operation as found in the app: hono's method and path, and the metadata of every handler that runs for it. */
export interface FoundOperation {
  method: string;
  /** hono's path, e.g. `/api/v1/contacts/:id`. */
  path: string;
  metas: RouteMeta[];
}

const API_PREFIX = '/api/v1';

/** hono's `:id`, `:id{[0-9]+}` and `:id?` become OpenAPI's `{id}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?\??/g, '{$1}');
const pathParamNames = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** A middleware path (`/api/v1/contacts/*`, `*`) as a test against a route path; `/x/*` also covers `/x`. */
function middlewareCovers(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === '/*') return true;
  const body = pattern
    .split(/(\/\*$|\*|:\w+(?:\{[^}]*\})?)/)
    .map((part) => (part === '/*' ? '(?:/.*)?' : part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`).test(path);
}

/**
 * Every `/api/v1` operation with the metadata of what runs for it: middleware registered before it on a covering
 * path (later middleware never runs: the route has answered), then its own handlers.
 */
export function findOperations(app: RoutedApp): FoundOperation[] {
  const ops = new Map<string, FoundOperation>();
  app.routes.forEach((route, index) => {
    if (route.method === 'ALL' || !route.path.startsWith(API_PREFIX)) return;
    const key = `${route.method} ${route.path}`;
    let op = ops.get(key);
    if (!op) {
      const before = app.routes.slice(0, index).filter((r) => r.method === 'ALL' && middlewareCovers(r.path, route.path));
      op = { method: route.method, path: route.path, metas: before.map((r) => metaOf(r.handler)).filter((m): m is RouteMeta => !!m) };
      ops.set(key, op);
    }
    const meta = metaOf(route.handler);
    if (meta) op.metas.push(meta);
  });
  return [...ops.values()];
}

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect). Named definitions ($defs, from z.lazy) move to components. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', name: string, components: Record<string, JsonSchema>): JsonSchema {
  let out: JsonSchema;
  try {
    out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  } catch (err) {
    return { description: `Not expressible in JSON Schema: ${err instanceof Error ? err.message : String(err)}` };
  }
  delete out.$schema;
  const defs = out.$defs as Record<string, JsonSchema> | undefined;
  if (!defs) return out;
  delete out.$defs;
  const rename = (ref: string) => `#/components/schemas/${name}_${ref.slice('#/$defs/'.length)}`;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? rename(v) : rewrite(v)]));
  };
  for (const [key, def] of Object.entries(defs)) components[`${name}_${key}`] = rewrite(def) as JsonSchema;
  return rewrite(out) as JsonSchema;
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Every error answer: a stable `code` to branch on, a `message` for a developer, and `details` when there is more (e.g. the fields that failed validation).',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', description: 'Machine-readable, e.g. `validation_failed`, `not_found`, `forbidden`.' },
        message: { type: 'string' },
        details: { description: 'Free-form: `[{ path, message }]` for `validation_failed`, `{ field }` for `invalid_field`, `{ retryAfterSeconds }` for 429s.' },
      },
    },
  },
};

export const SECURITY_SCHEMES: Record<SecurityScheme, JsonSchema> = {
  secretKey: { type: 'http', scheme: 'bearer', description: "The workspace secret key (`dsk_…`), from the host's backend only. Never send it to a browser." },
  sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A widget session token for one member, minted by `POST /api/v1/sessions` with the secret key.' },
  viewerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A share-link viewer token, from `POST /api/v1/public/share/{slug}/open` or `/verify`.' },
  adminKey: { type: 'http', scheme: 'bearer', description: 'An operator key (`dak_…`, or `DOSSIER_ADMIN_KEY`) for the admin API. Workspace keys are refused with 403 `admin_key_required`.' },
  orgKey: { type: 'http', scheme: 'bearer', description: "An organization key (`dok_…`, from `POST /api/v1/admin/organizations/{id}/keys`), from the agency's backend only: mints organization sessions. Workspace keys are refused with 403 `org_key_required`." },
  orgSessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An organization session token, minted by `POST /api/v1/org-sessions`: accepted by the `/api/v1/org/…` routes only (writes use the per-workspace tokens minted with it).' },
  streamTicket: { type: 'apiKey', in: 'query', name: 'ticket', description: 'A one-time ticket for an event stream (EventSource cannot send headers), from the stream\'s `POST …/ticket`.' },
  providerSignature: { type: 'apiKey', in: 'header', name: 'Stripe-Signature', description: 'The payment provider signs its webhooks (HMAC-SHA256 of the timestamp and raw body with the webhook secret).' },
  signedUrl: { type: 'apiKey', in: 'query', name: 'sig', description: 'The signature of a signed link (with `exp`): the link itself is the credential.' },
};

const camel = (s: string) => s.replace(/[-_{}]+(\w)/g, (_, c: string) => c.toUpperCase()).replace(/[{}]/g, '');
function operationId(method: string, path: string) {
  const parts = path.slice(API_PREFIX.length).split('/').filter(Boolean).map((p) => (p.startsWith(':') ? `by-${p.slice(1).replace(/\{.*$/, '')}` : p));
  return camel([method.toLowerCase(), ...parts].join('-'));
}

/**
 * The answer of GET /api/v1/openapi.json: its top level exactly. Paths, operations and schemas inside it are OpenAPI's
 * own objects (Path Item, Schema…), open-ended by design: the OpenAPI 3.1 meta-schema describes them, and
 * openapi.test.ts validates the document against it, which a zod copy here could only repeat less well.
 */
const jsonObject = z.record(z.string(), z.unknown());
export const openApiDocumentJson = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string(), description: z.string() }).strict(),
    servers: z.array(z.object({ url: z.string() }).strict()),
    paths: z.record(z.string(), jsonObject),
    components: z
      .object({
        schemas: z.record(z.string(), jsonObject),
        securitySchemes: z.record(z.enum(Object.keys(SECURITY_SCHEMES) as [SecurityScheme, ...SecurityScheme[]]), jsonObject),
      })
      .strict(),
  })
  .strict();
sameShape<SameShape<z.output<typeof openApiDocumentJson>, OpenApiDocument>>();

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<SecurityScheme, JsonSchema> };
}

/** The OpenAPI 3.1 document for an app (computed once per app: the routes do not change after start). */
export function openApiDocument(app: RoutedApp, info: { version?: string } = {}): OpenApiDocument {
  const cached = documents.get(app);
  if (cached) return cached;
  const components: Record<string, JsonSchema> = { Problem: PROBLEM_SCHEMA };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of findOperations(app)) {
    const id = operationId(op.method, op.path);
    const validators = op.metas.map((m) => m.validates).filter((v): v is NonNullable<RouteMeta['validates']> => !!v);
    const of = (target: string) => validators.find((v) => v.target === target);
    const parameters: unknown[] = [];

    const paramSchema = of('param') && jsonSchema(of('param')!.schema, 'input', `${id}_path`, components);
    for (const name of pathParamNames(op.path)) {
      const schema = (paramSchema?.properties as Record<string, JsonSchema> | undefined)?.[name] ?? { type: 'string' };
      parameters.push({ name, in: 'path', required: true, schema });
    }
    const query = of('query') && jsonSchema(of('query')!.schema, 'input', `${id}_query`, components);
    const queryProps = (query?.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((query?.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(queryProps)) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
    const paginated = 'cursor' in queryProps && 'limit' in queryProps;

    const body = of('json');
    const form = of('form');
    const own = op.metas.find((m) => m.body)?.body;
    const requestBody = own && !body && !form
      ? {
          required: true,
          description: own.description,
          content: Object.fromEntries(
            own.content.map((t) => [t.mediaType, { schema: t.schema ? jsonSchema(t.schema, 'input', `${id}_${t.mediaType.replace(/\W+/g, '_')}`, components) : { type: 'string', contentMediaType: t.mediaType } }]),
          ),
        }
      : body
      ? {
          required: true,
          content: { 'application/json': { schema: jsonSchema(body.schema, 'input', `${id}_body`, components) } },
          description: `JSON, at most ${body.maxBytes ?? 1_048_576} bytes.`,
        }
      : form && {
          required: true,
          content: { 'multipart/form-data': { schema: jsonSchema(form.schema, 'input', `${id}_form`, components) } },
          description: `multipart/form-data, at most ${form.maxBytes ?? 1_048_576} bytes in all.`,
        };
    const security = [...new Set(op.metas.flatMap((m) => m.security ?? []))];
    const responses: Record<string, unknown> = {};
    const declared = Object.assign({}, ...op.metas.map((m) => m.responses ?? {})) as NonNullable<RouteMeta['responses']>;
    for (const [status, r] of Object.entries(declared)) {
      const content = r.schema
        ? { 'application/json': { schema: jsonSchema(r.schema, 'output', `${id}_${status}`, components) } }
        : r.mediaType
          ? { [r.mediaType]: { schema: r.mediaType === 'text/event-stream' ? { type: 'string' } : { type: 'string', contentMediaType: r.mediaType } } }
          : undefined;
      responses[status] = { description: r.description ?? 'Success.', ...(content ? { content } : {}) };
    }
    if (!Object.keys(declared).length) responses['2XX'] = { description: 'Success. The body is described in the route\'s section of docs/api*.md.' };
    const errors = describeErrorCodes(op, validators.some((v) => v.target !== 'form'), pathParamNames(op.path).length > 0, !!body, 'cursor' in queryProps);
    for (const [status, codes] of Object.entries(errors)) {
      responses[status] = {
        description: `Error codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
        'x-error-codes': codes,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    responses.default = { description: 'An unexpected error (500 `internal`), in the same shape.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } };

    const tag = op.path.slice(API_PREFIX.length).split('/')[1] ?? 'api';
    const operation: Record<string, unknown> = {
      operationId: id,
      tags: [tag === 'public' ? 'share viewer' : tag],
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      security: security.map((s) => ({ [s]: [] })),
    };
    if (paginated) {
      operation.description = 'Paginated by cursor: pass `limit`, then the answer\'s `nextCursor` as `cursor` for the next page until it is null.';
      operation['x-pagination'] = { style: 'cursor', cursorParameter: 'cursor', limitParameter: 'limit', nextCursorField: 'nextCursor' };
    }
    (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operation;
  }
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Dossier API',
      version: info.version ?? 'v1',
      description: 'Generated from the server\'s registered routes, their zod validators and auth middleware. Every operation lists its success bodies and, per status, the error codes it can answer (`x-error-codes`). Prose and limits: docs/api.md and docs/api-*.md.',
    },
    servers: [{ url: '/' }],
    paths,
    components: { schemas: components, securitySchemes: SECURITY_SCHEMES },
  };
  documents.set(app, doc);
  return doc;
}

const documents = new WeakMap<RoutedApp, OpenApiDocument>();
