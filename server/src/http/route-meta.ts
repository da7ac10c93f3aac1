import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';

/**
 * What the OpenAPI document learns from a route's middleware. The middleware the routes already use (validate(),
 * the auth guards) carry it, so the document is read off the registered routes and a new route is described the
 * moment it is mounted, with no list to keep.
 */
export type SecurityScheme = 'secretKey' | 'sessionToken' | 'viewerToken' | 'adminKey' | 'orgKey' | 'orgSessionToken' | 'streamTicket' | 'signedUrl' | 'providerSignature';

export interface RouteMeta {
  /** A zod schema the route validates its path, query or JSON body with. */
  validates?: { target: 'json' | 'query' | 'param' | 'form'; schema: z.ZodType; maxBytes?: number };
  /** Credentials this middleware accepts (any one of them). */
  security?: SecurityScheme[];
  /** Error answers this middleware can give: status → codes. */
  errors?: Record<number, string[]>;
  /** A body the handler reads itself rather than through validate(): each media type it takes (see acceptsBody()). */
  body?: { description: string; content: BodyType[] };
  /** Success answers of the route, when declared with a zod schema beside it (see responds()). */
  responses?: Record<number, { schema?: z.ZodType; mediaType?: string; description?: string }>;
}

const META = Symbol.for('dossier.route-meta');

/** Attaches `meta` to a middleware (merged with what it already carries). */
export function withMeta<M extends MiddlewareHandler<any, any, any>>(handler: M, meta: RouteMeta): M {
  const own = (handler as unknown as { [META]?: RouteMeta })[META];
  Object.defineProperty(handler, META, { value: { ...own, ...meta }, enumerable: false, configurable: true });
  return handler;
}

/** The metadata a registered handler carries (hono may wrap handlers of sub-apps with their own error handler). */
export function metaOf(handler: unknown): RouteMeta | undefined {
  const h = handler as { [META]?: RouteMeta; __COMPOSED_HANDLER?: unknown } | undefined;
  if (!h) return undefined;
  return h[META] ?? (h.__COMPOSED_HANDLER ? metaOf(h.__COMPOSED_HANDLER) : undefined);
}

/** A middleware that only documents: credentials checked inside the handler (viewer tokens, stream tickets). */
export function documents(meta: RouteMeta): MiddlewareHandler {
  return withMeta(async (_c, next) => next(), meta);
}

/** Declares a route's success answer with a zod schema; the document shows it and the server tests check answers against it. */
export function responds(status: number, schema: z.ZodType, description?: string): MiddlewareHandler {
  return documents({ responses: { [status]: { schema, description } } });
}

/** Declares a success answer that is not JSON: a file, a stream (`text/event-stream`), a page, or no body (`null`). */
export function respondsRaw(status: number, mediaType: string | null, description: string): MiddlewareHandler {
  return documents({ responses: { [status]: { mediaType: mediaType ?? undefined, description } } });
}

/** Declares the domain error codes a route can answer with `status` (the document lists them; server tests hold answers to them). */
export function fails(status: number, ...codes: string[]): MiddlewareHandler {
  return documents({ errors: { [status]: codes } });
}

/**
 * Documents a `multipart/form-data` body the handler reads itself: its fields as a zod object (`z.file()` for a file
 * part, with `.max()` and `.mime()` as its limits) and the whole body's size limit.
 */
export function multipartBody(schema: z.ZodType, maxBytes: number): MiddlewareHandler {
  return documents({ validates: { target: 'form', schema, maxBytes } });
}

/** One media type a route's body may have; `schema` where it is JSON or a form, else the body is the raw bytes. */
export interface BodyType {
  mediaType: string;
  schema?: z.ZodType;
}

/**
 * Documents a body the handler reads itself (a picture's bytes, a CSV, a raw webhook whose signature covers the
 * exact bytes, a body of several kinds): its media types and limits, so the document still shows what to send.
 */
export function acceptsBody(description: string, ...content: BodyType[]): MiddlewareHandler {
  return documents({ body: { description, content } });
}

/** True when A and B are the same type (each assignable to the other). */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * Compile-time guard that a response schema describes the type the route really returns, e.g.
 * `sameShape<SameShape<z.output<typeof taskJson>, TaskJson>>()`: the type check fails when either side changes alone.
 */
export const sameShape = <T extends true>(): T | undefined => undefined;
