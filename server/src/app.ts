import { Hono, type Schema } from 'hono';
import { sql } from 'kysely';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './deps.js';
import { log } from './log.js';
import { InProcessFeed } from './domain/events.js';
import { requireCaller, requireSecretKey } from './http/auth.js';
import { CallerCache } from './http/caller-cache.js';
import { KnownOrigins, originMatchesWorkspace, widgetCors } from './http/cors.js';
import { isUniqueViolation } from './db/engine/index.js';
import { ApiError, conflict, notFoundJson, problem } from './http/errors.js';
import type { Env } from './http/env.js';
import { bulkJobRoutes, contactBulkRoutes } from './routes/bulk.js';
import { contactQueryRoutes } from './routes/contact-query.js';
import { contactExportRoutes, exportDownloadRoutes } from './routes/export.js';
import { contactImportRoutes } from './routes/import.js';
import { contactMergeRoutes, mergeRoutes } from './routes/merges.js';
import { contactRoutes } from './routes/contacts.js';
import { documentContentRoutes, signedRoutes } from './routes/document-content.js';
import { contactAvatarRoutes, signedAvatarRoutes } from './routes/contact-avatar.js';
import { activityRoutes } from './routes/activity.js';
import { contactEventRoutes } from './routes/contact-events.js';
import { documentEventRoutes } from './routes/document-events.js';
import { contactDocumentRoutes, documentRoutes } from './routes/documents.js';
import { messageRoutes } from './routes/messages.js';
import { contactNoteRoutes } from './routes/notes.js';
import { conversationRoutes } from './routes/conversations.js';
import { contactTaskRoutes, taskRoutes } from './routes/tasks.js';
import { calendarRoutes, contactAppointmentRoutes } from './routes/appointments.js';
import { contactOpportunityRoutes, opportunityRoutes, pipelineRoutes } from './routes/opportunities.js';
import { associationTargetRoutes, associationTypeRoutes, contactAssociationRoutes } from './routes/associations.js';
import { companyRoutes, objectRoutes } from './routes/records.js';
import { contactWorkflowRoutes, portalRoutes, workflowRoutes } from './routes/workflows.js';
import { contactBillingRoutes, productRoutes } from './routes/billing.js';
import { invoicePageRoutes } from './routes/invoice-page.js';
import { billingCards } from './domain/billing/pay-cards.js';
import { customFieldRoutes, tagRoutes } from './routes/custom-fields.js';
import { memberRoutes, meRoutes } from './routes/members.js';
import { sessionRoutes } from './routes/sessions.js';
import { orgRoutes, orgSessionRoutes } from './routes/org.js';
import { shareLinkRoutes } from './routes/share-links.js';
import { sharePageRoutes } from './routes/share-page.js';
import { shareViewerRoutes } from './routes/share-viewer.js';
import { registerShareFilters } from './domain/share-filters.js';
import { teamRoutes } from './routes/teams.js';
import { viewRoutes } from './routes/views.js';
import { adminRoutes } from './routes/admin.js';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js';
import { openApiDocument, openApiDocumentJson } from './openapi/document.js';
import { responds } from './http/route-meta.js';
import { contactPaymentRoutes, paymentGrantRoutes, paymentRoutes, paymentWebhookRoutes } from './routes/payments.js';
import { TestProvider, testProviderRoutes } from './payments/testmode-provider.js';
import { TEST_PROVIDER_PATH } from './payments/config.js';
import { docsPageRoutes } from './openapi/docs-page.js';

/** Builds the whole HTTP app from injected parts. Routes are chained so `AppType` carries every route's types. */
export function createApp(input: AppDeps) {
  // One event feed per app: domain writes publish to it, the SSE routes listen.
  const events = input.events ?? new InProcessFeed();
  const deps: AppDeps = { ...input, events, callers: input.callers ?? new CallerCache(events) };
  // Viewer fields and sorts in the table's filter compiler (viewer type, share link, document, last accessed…).
  registerShareFilters();
  const caller = requireCaller(deps);
  const origin = originMatchesWorkspace(deps);
  // Origins some workspace allows (preflights carry no token); the admin API drops the cache when it changes them.
  const knownOrigins = new KnownOrigins(deps);
  /** Routes that need a widget token or the secret key, from an origin the workspace allows. */
  const guarded = <S extends Schema, B extends string>(routes: Hono<Env, S, B>) =>
    new Hono<Env>().use(caller, origin).route('/', routes);

  const api = new Hono<Env>()
    .use(widgetCors(deps, knownOrigins))
    .route('/sessions', sessionRoutes(deps))
    // Organizations (agencies): an organization key mints org sessions; the org routes read across workspaces.
    .route('/org-sessions', orgSessionRoutes(deps))
    .route('/org', orgRoutes(deps))
    // The operator's API: an operator key, never a workspace key or widget token.
    .route('/admin', adminRoutes(deps, knownOrigins))
    // Before the /contacts guard: the live streams authenticate themselves (EventSource sends ?ticket=), and answer first.
    .route('/contacts', contactEventRoutes(deps))
    .route('/contacts', documentEventRoutes(deps))
    // Several routers share /contacts and /documents. They are mounted one by one under one guard per prefix
    // (authentication runs once; nesting them in a sub-app would lose the RPC client's types). Table routes come
    // first: their fixed paths (/contacts/query, /contacts/merge…) must win over /contacts/:id.
    .use('/contacts/*', caller, origin)
    .route('/contacts', contactQueryRoutes(deps))
    .route('/contacts', contactBulkRoutes(deps))
    .route('/contacts', contactExportRoutes(deps))
    .route('/contacts', contactImportRoutes(deps))
    .route('/contacts', contactMergeRoutes(deps))
    .route('/contacts', contactRoutes(deps))
    .route('/contacts', contactAvatarRoutes(deps))
    .route('/contacts', contactDocumentRoutes(deps))
    .route('/contacts', contactNoteRoutes(deps))
    .route('/contacts', contactTaskRoutes(deps))
    .route('/contacts', contactAppointmentRoutes(deps))
    .route('/contacts', contactAssociationRoutes(deps))
    .route('/contacts', contactWorkflowRoutes(deps))
    .route('/contacts', contactBillingRoutes(deps, billingCards(deps)))
    .route('/contacts', activityRoutes(deps))
    .route('/contacts', conversationRoutes(deps))
    .route('/contacts', contactOpportunityRoutes(deps))
    .route('/contacts', contactPaymentRoutes(deps))
    .use('/documents/*', caller, origin)
    .route('/documents', documentContentRoutes(deps))
    .route('/documents', documentRoutes(deps))
    // Signed links instead of a bearer header, so plain browser downloads and <img src> work.
    .route('/signed', signedRoutes(deps))
    .route('/signed', signedAvatarRoutes(deps))
    .route('/exports', exportDownloadRoutes(deps))
    .route('/messages', new Hono<Env>().use(requireSecretKey(deps), origin).route('/', messageRoutes(deps)))
    .route('/webhook-endpoints', new Hono<Env>().use(requireSecretKey(deps), origin).route('/', webhookEndpointRoutes(deps)))
    .route('/views', guarded(viewRoutes(deps)))
    .route('/merges', guarded(mergeRoutes(deps)))
    .route('/bulk-jobs', guarded(bulkJobRoutes(deps)))
    .route('/share-links', guarded(shareLinkRoutes(deps)))
    .route('/custom-fields', guarded(customFieldRoutes(deps)))
    .route('/tags', guarded(tagRoutes(deps)))
    .route('/me', guarded(meRoutes(deps)))
    .route('/members', guarded(memberRoutes(deps)))
    .route('/teams', guarded(teamRoutes(deps)))
    .route('/tasks', guarded(taskRoutes(deps)))
    .route('/calendars', guarded(calendarRoutes(deps)))
    .route('/pipelines', guarded(pipelineRoutes(deps)))
    .route('/opportunities', guarded(opportunityRoutes(deps)))
    .route('/companies', guarded(companyRoutes(deps)))
    .route('/object-types', guarded(objectRoutes(deps)))
    .route('/association-types', guarded(associationTypeRoutes(deps)))
    .route('/association-targets', guarded(associationTargetRoutes(deps)))
    .route('/workflows', guarded(workflowRoutes(deps)))
    .route('/portal', guarded(portalRoutes(deps)))
    .route('/products', guarded(productRoutes(deps)))
    .route('/payments/webhook', paymentWebhookRoutes(deps))
    .route('/payments', guarded(paymentRoutes(deps)))
    .route('/payment-grants', new Hono<Env>().use(requireSecretKey(deps), origin).route('/', paymentGrantRoutes(deps)));

  const app = new Hono<Env>()
    // Liveness: the process answers. Readiness: it can serve (database and document storage answer, not draining).
    .get('/healthz', (c) => c.json({ ok: true }))
    .get('/readyz', async (c) => {
      const check = (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`);
      const [database, storage] = await Promise.all([check(sql`SELECT 1`.execute(deps.db)), check(deps.blobs.ready())]);
      const draining = deps.lifecycle?.draining ?? false;
      const ok = database === 'ok' && storage === 'ok' && !draining;
      return c.json({ ok, checks: { database, storage }, ...(draining ? { draining } : {}) }, ok ? 200 : 503);
    })
    // The public viewer API comes before /api/v1: its answers (CORS open to any origin, no cookies, no staff
    // token) must not pass through the widget CORS, which only answers workspace origins.
    .route('/api/v1/public/share', shareViewerRoutes(deps))
    .route('/api/v1', api)
    // The public page behind a share link (served by `dossier serve` and the demo alike).
    .route('/s', sharePageRoutes(deps))
    // The printable page of a sent invoice, behind its signed link.
    .route('/invoices', invoicePageRoutes(deps))
    // The interactive reference over /api/v1/openapi.json.
    .route('/docs', docsPageRoutes());

  // Read off this app's own routes on first request, so every route mounted above is in it. Registered outside the
  // chain: a route whose answer depends on `app` would make AppType refer to itself.
  app.get('/api/v1/openapi.json', responds(200, openApiDocumentJson, 'This document (OpenAPI 3.1).'), (c) => c.json(openApiDocument(app)));
  // The test provider's tokenizing endpoint (the provider's, as api.stripe.com is Stripe's: not the Dossier API).
  if (deps.payments instanceof TestProvider) app.route(TEST_PROVIDER_PATH, testProviderRoutes(deps.payments, () => deps.clock.now()));
  app.notFound(notFoundJson);
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 400 ? 'bad_request' : status === 413 ? 'payload_too_large' : 'http_error';
      return problem(c, new ApiError(status as ApiError['status'], code, err.message || 'Request failed.'));
    }
    if (isUniqueViolation(err)) return problem(c, conflict('Another request changed the same thing at the same moment. Try again.'));
    log.error(`unhandled error in ${c.req.method} ${c.req.path}`, err);
    return problem(c, new ApiError(500, 'internal', 'Something went wrong on the server. It has been logged.'));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
/** The type the widgets' RPC client (`hc<AppType>`) is built from. Import it as a type only. */
export type AppType = App;
