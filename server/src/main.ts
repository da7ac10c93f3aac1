import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { PostgresFeed } from './domain/events-postgres.js';
import { createApp } from './app.js';
import { migrate, openDatabase, type OpenedDb } from './db/connection.js';
import { forgetExpiredLimits } from './db/rate-limits.js';
import { systemClock, type AppConfig, type Secrets } from './deps.js';
import { purgeExpired } from './domain/contacts.js';
import { collectBlobs, purgeDeletedDocuments } from './domain/documents.js';
import { purgeDeletedWorkspaces } from './domain/workspaces.js';
import { WebhookWorker } from './domain/webhook-worker.js';
import { BillingRunner } from './domain/billing/runner.js';
import { billingCards } from './domain/billing/pay-cards.js';
import { blobStoreFromEnv } from './storage/config.js';
import { parseTrustProxy } from './http/client-ip.js';
import { notFoundJson } from './http/errors.js';
import { widgetAssets } from './http/widget-assets.js';
import { REPO_ROOT } from './paths.js';
import { Lifecycle } from './lifecycle.js';
import { configureLog, log, logFormatFromEnv, type LogFormat } from './log.js';
import { requestLog } from './http/request-log.js';
import { describeTransports, transportsFromEnv } from './transports/config.js';
import { describePayments, paymentsFromEnv } from './payments/config.js';
import type { Transports } from './transports/transport.js';

/** Server secrets come from the environment, else from a file in the data dir created on first start. */
export function loadSecrets(dataDir: string): Secrets {
  if (process.env.DOSSIER_TOKEN_SECRET) return { tokenSecret: process.env.DOSSIER_TOKEN_SECRET, otpSecret: process.env.DOSSIER_OTP_SECRET };
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Secrets;
    if (saved.otpSecret) return saved;
    // Older data dirs: add the OTP secret once.
    const upgraded = { ...saved, otpSecret: randomBytes(32).toString('base64url') };
    writeFileSync(file, JSON.stringify(upgraded, null, 2), { mode: 0o600 });
    return upgraded;
  }
  const secrets: Secrets = { tokenSecret: randomBytes(32).toString('base64url'), otpSecret: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** PostgreSQL when DATABASE_URL is set (postgres://…), else SQLite in `<dataDir>/dossier.sqlite`; migrated. */
export async function openDataDir(dataDir: string, url = process.env.DATABASE_URL): Promise<OpenedDb> {
  mkdirSync(dataDir, { recursive: true });
  const opened = openDatabase({ url, file: join(dataDir, 'dossier.sqlite') });
  try {
    await migrate(opened.db);
  } catch (err) {
    await opened.db.destroy();
    throw err;
  }
  return opened;
}

export interface ServeOptions {
  port: number;
  host?: string;
  dataDir: string;
  config?: AppConfig;
  /** How one-time codes go out; default: chosen from the environment (transports/config.ts). */
  transports?: Transports;
  /** Log lines as JSON or text (default: DOSSIER_LOG_FORMAT, else text). */
  logFormat?: LogFormat;
  /** Extra routes (the demo host) mounted before the app. */
  extend?: (root: Hono, opened: OpenedDb, api: ReturnType<typeof createApp>) => Promise<void> | void;
}

/** Opens the data dir, migrates, and serves the app until the returned `close()` is called (or SIGTERM / SIGINT). */
export async function startServer(opts: ServeOptions) {
  configureLog({ format: opts.logFormat ?? logFormatFromEnv(process.env.DOSSIER_LOG_FORMAT, 'text') });
  // Behind reverse proxies, per-IP limits need to know which X-Forwarded-For hops are ours (a bad value stops here).
  const config: AppConfig = {
    adminKey: process.env.DOSSIER_ADMIN_KEY || undefined,
    ...opts.config,
    trustProxy: opts.config?.trustProxy ?? parseTrustProxy(process.env.DOSSIER_TRUST_PROXY),
  };
  if (process.env.DOSSIER_WEBHOOKS_ALLOW_PRIVATE === '1') config.webhooks = { allowPrivate: true, ...config.webhooks };
  const webhookTimeout = Number(process.env.DOSSIER_WEBHOOK_TIMEOUT_MS);
  if (process.env.DOSSIER_WEBHOOK_TIMEOUT_MS) {
    if (!Number.isInteger(webhookTimeout) || webhookTimeout < 100 || webhookTimeout > 60_000) throw new Error('DOSSIER_WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds from 100 to 60000.');
    config.webhooks = { timeoutMs: webhookTimeout, ...config.webhooks };
  }
  if (config.webhooks?.allowPrivate) log.warn('webhooks may be sent to plain http and private addresses (DOSSIER_WEBHOOKS_ALLOW_PRIVATE)');
  if (config.trustProxy) log.info(`trusting proxies: ${Array.isArray(config.trustProxy) ? config.trustProxy.join(', ') : `${config.trustProxy} hop(s)`}`);
  const opened = await openDataDir(opts.dataDir);
  log.info(`database: ${opened.engine.label}`);
  const { store: blobs, description: storage } = await blobStoreFromEnv(process.env, opts.dataDir);
  log.info(`document storage: ${storage}`);
  const transports = opts.transports ?? transportsFromEnv(process.env, opened.db, systemClock);
  log.info(`one-time codes: ${describeTransports(transports)}`);
  const lifecycle = new Lifecycle();
  // On PostgreSQL, live events reach the clients of every process serving the database (LISTEN/NOTIFY).
  const feed = opened.engine.kind === 'postgres' ? new PostgresFeed(process.env.DATABASE_URL!, (channel, payload) => sql`SELECT pg_notify(${channel}, ${payload})`.execute(opened.db)) : undefined;
  if (feed) await Promise.race([feed.ready, new Promise((r) => setTimeout(r, 5_000).unref())]);
  const secrets = loadSecrets(opts.dataDir);
  const payments = paymentsFromEnv(process.env, secrets.tokenSecret);
  log.info(describePayments(payments));
  const deps = { db: opened.db, clock: systemClock, secrets, config, blobs, transports, lifecycle, events: feed, payments };
  const app = createApp(deps);
  const root = new Hono();
  root.use(requestLog(lifecycle));
  root.notFound(notFoundJson);
  await opts.extend?.(root, opened, app);
  // The built widgets (the share page at /s/:slug loads dist/elements/share-viewer.js and its lazy chunks).
  root.route('/dist', widgetAssets(REPO_ROOT));
  root.route('/', app);

  // Every process schedules the purge; on PostgreSQL one runs it at a time (the others skip that round).
  const purge = () => opened.engine.locks.exclusive('dossier purge', purgeNow);
  const purgeNow = async () => {
    // Workspaces deleted through the admin API: their data goes first, so the blob collection below frees their files.
    const workspaces = await purgeDeletedWorkspaces(opened.db).catch((err: unknown) => (log.error('workspace purge failed', err), 0));
    if (workspaces) log.info(`purged ${workspaces} deleted workspaces`, { workspaces });
    const purged = await purgeExpired(opened.db, systemClock.now()).catch((err: unknown) => (log.error('purge failed', err), 0));
    if (purged) log.info(`purged ${purged} contacts from the restore bin`, { contacts: purged });
    // Documents past their restore window go, then content no document references any more.
    const docs = await purgeDeletedDocuments(opened.db, systemClock.now()).catch((err: unknown) => (log.error('document purge failed', err), 0));
    if (docs) log.info(`purged ${docs} documents from the restore bin`, { documents: docs });
    await collectBlobs(opened.db, blobs, systemClock.now()).catch((err: unknown) => log.error('blob collection failed', err));
    await forgetExpiredLimits(opened.db).catch((err: unknown) => log.error('rate-limit cleanup failed', err));
  };
  await purge();
  const timer = setInterval(() => void purge(), 60 * 60 * 1000);
  timer.unref();
  // Sends the webhook outbox (other processes on the same database may run theirs too).
  const webhooks = new WebhookWorker({ db: opened.db, clock: systemClock, config }).start();
  // Bills due subscriptions (each period once, whichever process gets there: idempotency keys per period).
  const billing = new BillingRunner({ db: opened.db, clock: systemClock, cards: billingCards(deps), events: feed }).start();

  // serve() starts a plain HTTP/1.1 server (no TLS options given).
  const server = await new Promise<HttpServer>((resolveServer) => {
    const s = serve({ fetch: root.fetch, port: opts.port, hostname: opts.host ?? '0.0.0.0' }, () => resolveServer(s as HttpServer));
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  /**
   * Graceful stop: /readyz turns 503 and no new connection is accepted; requests in flight finish (up to
   * `timeoutMs`); live streams end with a reconnect hint; then open connections are closed and the database too.
   */
  const close = (timeoutMs = Number(process.env.DOSSIER_SHUTDOWN_TIMEOUT_MS ?? 25_000)) =>
    (closing ??= (async () => {
      clearInterval(timer);
      const stopped = new Promise<void>((r) => server.close(() => r()));
      const drained = await lifecycle.drain(timeoutMs);
      if (drained === 'timeout') log.warn(`shutdown: requests still running after ${timeoutMs} ms; closing their connections`);
      // Idle keep-alive sockets first; then whatever is left (long downloads, streams that did not end).
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), drained === 'idle' ? 1_000 : 0).unref();
      await stopped;
      // Attempts in flight finish and are recorded; what is left is sent after the next start.
      await webhooks.stop();
      await billing.stop();
      await feed?.close();
      await opened.db.destroy();
    })());
  return { url: `http://localhost:${port}`, port, opened, close };
}

/** Stops the server gracefully on SIGTERM (containers, process managers) and SIGINT (Ctrl-C), then exits. */
export function stopOnSignals(server: { close(): Promise<void> }) {
  const stop = (signal: string) => {
    log.info(`${signal}: shutting down (finishing requests in flight)`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => (log.error('shutdown failed', err), process.exit(1)),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
