import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from './app.js';
import { migrate, openDatabase, type OpenedDb } from './db/connection.js';
import { systemClock, type AppConfig, type Secrets } from './deps.js';
import { purgeExpired } from './domain/contacts.js';
import { collectBlobs, purgeDeletedDocuments } from './domain/documents.js';
import { LocalBlobStore } from './storage/local-blob-store.js';
import { widgetAssets } from './http/widget-assets.js';
import { REPO_ROOT } from './paths.js';
import { describeTransports, transportsFromEnv } from './transports/config.js';
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
  /** Extra routes (the demo host) mounted before the app. */
  extend?: (root: Hono, opened: OpenedDb, api: ReturnType<typeof createApp>) => Promise<void> | void;
}

/** Opens the data dir, migrates, and serves the app until the returned `close()` is called. */
export async function startServer(opts: ServeOptions) {
  const opened = await openDataDir(opts.dataDir);
  console.log(`[dossier] database: ${opened.engine.label}`);
  const blobs = await new LocalBlobStore(join(opts.dataDir, 'blobs')).init();
  const transports = opts.transports ?? transportsFromEnv(process.env, opened.db, systemClock);
  console.log(`[dossier] one-time codes: ${describeTransports(transports)}`);
  const deps = { db: opened.db, clock: systemClock, secrets: loadSecrets(opts.dataDir), config: opts.config, blobs, transports };
  const app = createApp(deps);
  const root = new Hono();
  await opts.extend?.(root, opened, app);
  // The built widgets (the share page at /s/:slug loads dist/elements/share-viewer.js and its lazy chunks).
  root.route('/dist', widgetAssets(REPO_ROOT));
  root.route('/', app);

  const purge = async () => {
    const purged = await purgeExpired(opened.db, systemClock.now()).catch((err: unknown) => (console.error('[dossier] purge failed', err), 0));
    if (purged) console.log(`[dossier] purged ${purged} contacts from the restore bin`);
    // Documents past their restore window go, then content no document references any more.
    const docs = await purgeDeletedDocuments(opened.db, systemClock.now()).catch((err: unknown) => (console.error('[dossier] document purge failed', err), 0));
    if (docs) console.log(`[dossier] purged ${docs} documents from the restore bin`);
    await collectBlobs(opened.db, blobs, systemClock.now()).catch((err: unknown) => console.error('[dossier] blob collection failed', err));
  };
  await purge();
  const timer = setInterval(() => void purge(), 60 * 60 * 1000);
  timer.unref();

  const server = await new Promise<ReturnType<typeof serve>>((resolveServer) => {
    const s = serve({ fetch: root.fetch, port: opts.port, hostname: opts.host ?? '0.0.0.0' }, () => resolveServer(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    opened,
    async close() {
      clearInterval(timer);
      await new Promise<void>((r) => server.close(() => r()));
      await opened.db.destroy();
    },
  };
}
