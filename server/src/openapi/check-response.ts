// Test support: checks an answer of the app against the OpenAPI document (what the document says that route answers
// with that status), so the document cannot drift from the code unnoticed. Used by the server test harness on every
// JSON answer (testing.ts); ajv is a devDependency, never loaded by the running server.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from './document.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; 'x-error-codes'?: string[] }>;
}

export function responseChecker(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // Most literal path first, as hono tries fixed paths (/contacts/query) before /contacts/:id.
  const paths = Object.keys(doc.paths)
    .map((path) => ({ path, re: new RegExp(`^${path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`), literal: path.replace(/\{\w+\}/g, '').length }))
    .sort((a, b) => b.literal - a.literal);
  const validators = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: unknown) => {
    let v = validators.get(key);
    // The schema's `#/components/…` references resolve against a root that carries the document's components.
    if (!v) validators.set(key, (v = ajv.compile({ ...(schema as object), components: doc.components })));
    return v;
  };

  /** Returns why the answer does not match the document, or null when it does. */
  return (method: string, url: string, status: number, contentType: string | null, body: unknown): string | null => {
    const pathname = new URL(url, 'http://x').pathname;
    if (!pathname.startsWith('/api/v1/')) return null;
    const isJson = /^application\/([\w.-]+\+)?json/i.test(contentType ?? '');
    const isError = status >= 400;
    const errorCode = isError && body && typeof body === 'object' ? (body as { error?: { code?: unknown } }).error?.code : undefined;
    const found = paths.find((p) => p.re.test(pathname) && doc.paths[p.path]![method.toLowerCase()]);
    const where = `${method} ${pathname} answered ${status}`;
    if (!found) {
      // An unknown route or method answers 404 not_found: nothing to document.
      if (status === 404 && errorCode === 'not_found') return null;
      return `${where}, but the OpenAPI document has no operation for ${method} ${pathname}`;
    }
    const op = doc.paths[found.path]![method.toLowerCase()] as Operation;
    if (isError && status !== 500) {
      // Every refusal is declared with its status and code (fails(), the auth middleware's, the validators').
      const listed = op.responses[String(status)];
      if (!listed) return `${where} ${String(errorCode)}, a status the document does not list for ${method} ${found.path} (declare it with fails(${status}, '${String(errorCode)}'))`;
      if (!isJson) return `${where} with ${contentType ?? 'no content type'}: errors must be JSON { error: { code, message, details } }`;
      if (typeof errorCode === 'string' && !listed['x-error-codes']?.includes(errorCode)) {
        return `${where} ${errorCode}, a code the document does not list under ${status} for ${method} ${found.path} (it lists ${listed['x-error-codes']?.join(', ') ?? 'none'}; declare it with fails(${status}, '${errorCode}'))`;
      }
    }
    const statusKey = [String(status), `${String(status)[0]}XX`].find((k) => op.responses[k]) ?? (isError ? 'default' : undefined);
    if (!statusKey) return `${where}, a status the document does not list for ${method} ${found.path} (it lists ${Object.keys(op.responses).join(', ')})`;
    if (isError && !isJson) return `${where} with ${contentType ?? 'no content type'}: errors must be JSON { error: { code, message, details } }`;
    const schema = op.responses[statusKey]!.content?.['application/json']?.schema;
    if (!schema || !isJson) return null;
    const validate = validator(`${method} ${found.path} ${statusKey}`, schema);
    if (validate(body)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
    return `${where}; the body does not match the document's ${statusKey} schema for ${method} ${found.path}: ${errors.join('; ')}\nbody: ${JSON.stringify(body).slice(0, 500)}`;
  };
}

const checkers = new Map<string, ReturnType<typeof responseChecker>>();
/** One checker per distinct document (every harness builds the same app, so the same document). */
export function checkerFor(doc: OpenApiDocument) {
  const key = JSON.stringify(doc);
  let checker = checkers.get(key);
  if (!checker) checkers.set(key, (checker = responseChecker(doc)));
  return checker;
}
