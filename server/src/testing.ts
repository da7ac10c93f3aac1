// Test support for server tests: the real app on a real database (a SQLite file in a temp dir, or a fresh
// PostgreSQL database under `npm run test:pg`: test-db.ts), with a clock the test controls.
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { OpenedDb } from './db/connection.js';
import type { AppConfig, AppDeps, Clock } from './deps.js';
import { InProcessFeed } from './domain/events.js';
import { deliveriesSettled } from './domain/share-gate.js';
import type { BlobStore } from './storage/blob-store.js';
import { LocalBlobStore } from './storage/local-blob-store.js';
import { startTestS3 } from './test-s3.js';
import { createWorkspace } from './domain/workspaces.js';
import { openTestDatabase } from './test-db.js';
import { openApiDocument } from './openapi/document.js';
import { checkerFor } from './openapi/check-response.js';

/** Every JSON answer of h.call() is checked against the OpenAPI document unless DOSSIER_OPENAPI_CHECK=0. */
const CHECK_AGAINST_OPENAPI = process.env.DOSSIER_OPENAPI_CHECK !== '0';
/** DOSSIER_OPENAPI_MISMATCHES=file: append each disagreement to that file instead of failing (to list them all in one run). */
const COLLECT_MISMATCHES = process.env.DOSSIER_OPENAPI_MISMATCHES;

export class TestClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 1, 12)) {}
  now() {
    return this.t;
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export interface Harness {
  app: ReturnType<typeof createApp>;
  opened: OpenedDb;
  clock: TestClock;
  /** The blob store: local disk under the harness's temp dir, or a bucket on a test S3 server when DOSSIER_TEST_BLOBS=s3. */
  blobs: BlobStore;
  /** The local store's folder (blobs are elsewhere when DOSSIER_TEST_BLOBS=s3). */
  blobDir: string;
  events: InProcessFeed;
  close(): Promise<void>;
  /** Serves the app over real HTTP on a free port (for streaming tests); closed by close(). */
  listen(): Promise<string>;
  /** Any request (a raw or multipart body), as app.request; a JSON answer is checked against the OpenAPI document as call()'s are. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request with an optional bearer; returns status, parsed body and headers. */
  call<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
  /** A fresh workspace with a member session for each role. */
  workspace(opts?: { origins?: string[]; region?: string; restoreDays?: number }): Promise<TestWorkspace>;
}

export interface TestWorkspace {
  id: string;
  secretKey: string;
  token(role: 'owner' | 'manager' | 'agent', extra?: { externalId?: string; restrictToAssigned?: boolean; ttlSeconds?: number }): Promise<{ token: string; memberId: string }>;
}

/**
 * `opts.dir`: use this folder (and keep it, and the database, on close), so a test can close the app and open a new
 * one on the same database, as after a crash and restart.
 */
export async function harness(config?: AppConfig, extra: Pick<AppDeps, 'fetcher' | 'transports' | 'lifecycle' | 'payments'> = {}, opts: { dir?: string } = {}): Promise<Harness> {
  const database = await openTestDatabase(undefined, opts.dir);
  const { opened, dir } = database;
  const clock = new TestClock();
  // DOSSIER_TEST_BLOBS=s3 runs the same tests with document bytes in a real S3-compatible server (npm run test:s3).
  const s3 = process.env.DOSSIER_TEST_BLOBS === 's3' ? await startTestS3() : null;
  const blobs = s3?.store ?? (await new LocalBlobStore(join(dir, 'blobs')).init());
  const events = new InProcessFeed();
  const app = createApp({ db: opened.db, clock, secrets: { tokenSecret: 'test-secret-0123456789' }, config, blobs, events, ...extra });
  const servers: ReturnType<typeof serve>[] = [];

  const check = (method: string, path: string, res: Response, body: unknown) => {
    if (!CHECK_AGAINST_OPENAPI) return;
    const mismatch = checkerFor(openApiDocument(app))(method, path, res.status, res.headers.get('content-type'), body);
    if (mismatch && COLLECT_MISMATCHES) appendFileSync(COLLECT_MISMATCHES, `${mismatch.split('\n')[0]}\n`);
    else if (mismatch) throw new Error(`OpenAPI document and answer disagree: ${mismatch}`);
  };

  const request: Harness['request'] = async (path, init) => {
    const res = await app.request(path, init);
    // JSON answers and errors only: a file or an event stream is read by the test itself (an open stream never ends).
    const isJson = /^application\/([\w.-]+\+)?json/i.test(res.headers.get('content-type') ?? '');
    if (isJson || res.status >= 400) {
      const text = await res.clone().text();
      check(init?.method ?? 'GET', path, res, isJson && text ? JSON.parse(text) : text);
    }
    return res;
  };

  const call: Harness['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    check(method, path, res, body);
    return { status: res.status, body, headers: res.headers };
  };

  return {
    app,
    request,
    opened,
    clock,
    blobs,
    blobDir: join(dir, 'blobs'),
    events,
    call,
    async listen() {
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      for (const server of servers) {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise<void>((r) => server.close(() => r()));
      }
      await deliveriesSettled(); // a code delivery still under way would write to a closed database
      await s3?.close();
      await database.close();
    },
    async workspace(opts = {}) {
      const { workspaceId, secretKey } = await createWorkspace(
        opened.db,
        { name: 'Test', origins: opts.origins, defaultRegion: opts.region, restoreDays: opts.restoreDays },
        clock.now(),
      );
      return {
        id: workspaceId,
        secretKey,
        async token(role, extra = {}) {
          const externalId = extra.externalId ?? `${role}-1`;
          const res = await call('POST', '/api/v1/sessions', {
            token: secretKey,
            body: {
              member: { externalId, name: `${role} ${externalId}`, email: `${externalId}@example.com`, role, restrictToAssigned: extra.restrictToAssigned },
              ttlSeconds: extra.ttlSeconds,
            },
          });
          if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(res.body)}`);
          return { token: res.body.token as string, memberId: res.body.memberId as string };
        },
      };
    },
  };
}

/** Polls GET /api/v1/bulk-jobs/:id until the job is no longer running. */
export async function waitForJob(h: Harness, token: string, id: string): Promise<any> {
  for (let i = 0; i < 2000; i++) {
    const res = await h.call('GET', `/api/v1/bulk-jobs/${id}`, { token });
    if (res.status !== 200) throw new Error(`job ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.status !== 'running') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`job ${id} did not finish`);
}
