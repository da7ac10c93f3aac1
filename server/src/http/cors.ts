import { createMiddleware } from 'hono/factory';
import type { AppDeps } from '../deps.js';
import { ApiError } from './errors.js';
import { withMeta } from './route-meta.js';
import type { Env } from './env.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, If-Match, Range, X-Requested-With';
const ALLOW_METHODS = 'GET, POST, PATCH, PUT, DELETE, OPTIONS';
const EXPOSE_HEADERS = 'Content-Disposition, Content-Length, Content-Range, Accept-Ranges, ETag, X-Total-Count, Retry-After';

/**
 * CORS for the widget API. A preflight carries no token, so it is answered for any origin that some workspace
 * allows; the real request is then checked against the *token's* workspace and refused (403 `origin_not_allowed`) when
 * that workspace does not list the origin. Same-origin requests (the demo, the share page) always pass.
 */
export function widgetCors(deps: AppDeps, origins: KnownOrigins) {
  const knownOrigins = () => origins.get();
  return createMiddleware<Env>(async (c, next) => {
    const origin = c.req.header('origin');
    const self = new URL(c.req.url).origin;
    if (!origin || origin === self) return next();

    const allowedSomewhere = (await knownOrigins()).has(origin);
    if (c.req.method === 'OPTIONS') {
      if (!allowedSomewhere) return c.body(null, 403, { Vary: 'Origin' });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    // Let the widget read auth errors (so it can refresh its token) from any origin a workspace allows.
    if (allowedSomewhere) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    c.header('Vary', 'Origin');
    await next();
  });
}

/**
 * Every origin some workspace allows, for preflights (which carry no token). Cached for a few seconds — a
 * preflight must not scan every workspace — and dropped at once when this process changes a workspace's origins
 * (the admin API calls `invalidate()`), so an origin added or removed there takes effect on the next request.
 */
export class KnownOrigins {
  private cached: { at: number; origins: Promise<Set<string>> } | null = null;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'config'>,
    private readonly ttlMs = 5_000,
  ) {}

  get(): Promise<Set<string>> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.origins;
    const origins = this.load();
    this.cached = { at: now, origins };
    origins.catch(() => (this.cached = null));
    return origins;
  }

  invalidate() {
    this.cached = null;
  }

  private async load() {
    const rows = await this.deps.db.selectFrom('workspaces').select('allowed_origins').where('deleted_at', 'is', null).execute();
    const origins = new Set<string>(this.deps.config?.extraOrigins ?? []);
    for (const row of rows) for (const origin of JSON.parse(row.allowed_origins) as string[]) origins.add(origin);
    return origins;
  }
}

/** After authentication: the caller's own workspace must list the request's origin. */
export function originMatchesWorkspace(deps: AppDeps) {
  return withMeta(createMiddleware<Env>(async (c, next) => {
    const origin = c.req.header('origin');
    // Refused server-side; the message stays readable so a host developer sees why.
    if (!originAllowed(deps, c.req.url, origin, c.var.caller.workspace.allowedOrigins)) throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this workspace.`);
    await next();
  }), { errors: { 403: ['origin_not_allowed'] } });
}

/** Whether a request's Origin may read a workspace: none sent, the server's own, one the server allows everywhere, or one the workspace lists. */
export function originAllowed(deps: AppDeps, url: string, origin: string | undefined, allowedOrigins: string[]): boolean {
  return !origin || origin === new URL(url).origin || allowedOrigins.includes(origin) || Boolean(deps.config?.extraOrigins?.includes(origin));
}
