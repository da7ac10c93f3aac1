import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { ApiError } from './errors.js';

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

/** Hono validator backed by a zod schema; failures answer 400 `validation_failed` with every bad path. */
export function validate<T extends Target, S extends z.ZodType>(target: T, schema: S): MiddlewareHandler<any, string, Validated<T, S>> {
  return validator(target, (value) => {
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
  }) as unknown as MiddlewareHandler<any, string, Validated<T, S>>;
}
