import { Hono, type MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './deps.js';
import { DocumentEvents } from './domain/events.js';
import { requireCaller, requireSecretKey } from './http/auth.js';
import { originMatchesWorkspace, widgetCors } from './http/cors.js';
import { ApiError, problem } from './http/errors.js';
import type { Env } from './http/env.js';
import { contactRoutes } from './routes/contacts.js';
import { documentContentRoutes, signedRoutes } from './routes/document-content.js';
import { documentEventRoutes } from './routes/document-events.js';
import { contactDocumentRoutes, documentRoutes } from './routes/documents.js';
import { messageRoutes } from './routes/messages.js';
import { customFieldRoutes, tagRoutes } from './routes/custom-fields.js';
import { memberRoutes, meRoutes } from './routes/members.js';
import { sessionRoutes } from './routes/sessions.js';

/** Builds the whole HTTP app from injected parts. Routes are chained so `AppType` carries every route's types. */
export function createApp(input: AppDeps) {
  // One event bus per app: document writes publish to it, the SSE route listens.
  const deps: AppDeps = { ...input, events: input.events ?? new DocumentEvents() };
  const authenticate = requireCaller(deps);
  // Several guarded routers share a prefix (/contacts): authenticate once per request, not once per router.
  const once = createMiddleware<Env>(async (c, next) => (c.get('caller') ? next() : authenticate(c, next)));
  const authed: MiddlewareHandler<Env>[] = [once, originMatchesWorkspace(deps)];
  const guarded = <T extends Hono<Env>>(routes: T) => new Hono<Env>().use(...authed).route('/', routes);

  const api = new Hono<Env>()
    .use(widgetCors(deps))
    .route('/sessions', sessionRoutes(deps))
    // Before the guarded /contacts routers: this one authenticates itself (EventSource sends ?token=).
    .route('/contacts', documentEventRoutes(deps))
    .route('/contacts', guarded(contactRoutes(deps)))
    .route('/contacts', guarded(contactDocumentRoutes(deps)))
    .route('/documents', guarded(documentContentRoutes(deps)))
    .route('/documents', guarded(documentRoutes(deps)))
    .route('/signed', signedRoutes(deps))
    .route('/messages', new Hono<Env>().use(requireSecretKey(deps), originMatchesWorkspace(deps)).route('/', messageRoutes(deps)))
    .route('/custom-fields', guarded(customFieldRoutes(deps)))
    .route('/tags', guarded(tagRoutes(deps)))
    .route('/me', guarded(meRoutes()))
    .route('/members', guarded(memberRoutes(deps)));

  const app = new Hono<Env>().get('/healthz', (c) => c.json({ ok: true })).route('/api/v1', api);

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}.` } }, 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 400 ? 'bad_request' : status === 413 ? 'payload_too_large' : 'http_error';
      return problem(c, new ApiError(status as ApiError['status'], code, err.message || 'Request failed.'));
    }
    console.error('[dossier] unhandled error', c.req.method, c.req.path, err);
    return problem(c, new ApiError(500, 'internal', 'Something went wrong on the server. It has been logged.'));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
/** The type the widgets' RPC client (`hc<AppType>`) is built from. Import it as a type only. */
export type AppType = App;
