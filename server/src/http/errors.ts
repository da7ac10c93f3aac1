import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error shape every route answers: { error: { code, message, details } }. */
export interface Problem {
  error: { code: string; message: string; details?: unknown };
}

/** Thrown anywhere below a route; the app's error handler turns it into a JSON problem. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Missing or invalid credentials.') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'Your role does not allow this action.') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);
/** A rule about one field was broken; `field` is its path, e.g. `phones[1].label`. */
export const invalidField = (field: string, message: string) =>
  new ApiError(422, 'invalid_field', message, { field });

export function problem(c: Context, err: ApiError) {
  const body: Problem = { error: { code: err.code, message: err.message } };
  if (err.details !== undefined) body.error.details = err.details;
  // Every refusal that says when to come back says it in the header too.
  const retry = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (err.status === 429 && typeof retry === 'number') c.header('Retry-After', String(retry));
  return c.json(body, err.status);
}

/** Unmatched routes answer the JSON error shape too (set on every top-level app: a mounted app's own is not used). */
export const notFoundJson = (c: Context) => problem(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`));
