import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { JSON_BODY_BYTES, limitBody } from './body-limit.js';
import { ApiError } from './errors.js';
import { withMeta } from './route-meta.js';

type Target = 'json' | 'query' | 'param';

/** Formats zod issues as `[{ path: 'phones[1].value', message }]` so a client can point at the field. */
export function issuePaths(issues: z.core.$ZodIssue[]) {
  return issues.map((issue) => ({
    path: issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    ),
    message: issue.message,
  }));
}

/** What the RPC client sends (zod input: defaults optional) and what the handler reads (zod output). */
type Validated<T extends Target, S extends z.ZodType> = {
  in: { [K in T]: z.input<S> };
  out: { [K in T]: z.output<S> };
};

/** The test hono's validator uses to decide whether it reads the body as JSON. */
const isJson = (contentType: string | undefined) => /^application\/([\w.-]+\+)?json$/i.test((contentType ?? '').split(';')[0]!.trim());

/**
 * Hono validator backed by a zod schema; failures answer 400 `validation_failed` with every bad path. A JSON body is
 * read through a size limit (`maxBytes`, default 1 MB): larger bodies answer 413 `payload_too_large`, unread.
 */
export function validate<T extends Target, S extends z.ZodType>(target: T, schema: S, opts: { maxBytes?: number } = {}): MiddlewareHandler<any, string, Validated<T, S>> {
  const check: MiddlewareHandler = validator(target, (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const details = issuePaths(parsed.error.issues);
      const first = details[0];
      throw new ApiError(
        400,
        'validation_failed',
        first ? `Invalid ${target}: ${first.path || 'body'}: ${first.message}` : `Invalid ${target}.`,
        details,
      );
    }
    return parsed.data as z.output<S>;
  }) as unknown as MiddlewareHandler;
  // The OpenAPI document reads the schema off the middleware (server/src/openapi/document.ts).
  if (target !== 'json') return withMeta(check, { validates: { target, schema } }) as unknown as MiddlewareHandler<any, string, Validated<T, S>>;
  const limit = limitBody(opts.maxBytes ?? JSON_BODY_BYTES);
  // Only a JSON content type is read (the validator ignores other bodies), so only then is the limit needed.
  const limited: MiddlewareHandler = (c, next) => (isJson(c.req.header('content-type')) ? limit(c, async () => void (await check(c, next))) : check(c, next));
  return withMeta(limited, { validates: { target, schema, maxBytes: opts.maxBytes ?? JSON_BODY_BYTES } }) as unknown as MiddlewareHandler<any, string, Validated<T, S>>;
}
