import type { Db } from './db/connection.js';
import { DOCUMENT_KINDS, type DocumentKind } from './domain/file-types.js';
import type { EventFeed } from './domain/events.js';
import type { CallerCache } from './http/caller-cache.js';
import type { AttachmentFetcher } from './storage/fetch-attachment.js';
import type { BlobStore } from './storage/blob-store.js';
import type { TrustProxy } from './http/client-ip.js';
import type { Transports } from './transports/transport.js';
import type { Lifecycle } from './lifecycle.js';
import type { AvatarLimits } from './domain/avatar-image.js';
import type { PaymentProvider } from './payments/provider.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Secrets {
  /** Signs widget session tokens (HMAC-SHA256). */
  tokenSecret: string;
  /** Keys the HMAC of one-time codes at rest; default: derived from tokenSecret. */
  otpSecret?: string;
}

/** Limits of the share-link gate; unset fields take DEFAULT_SHARE_LIMITS. */
export interface ShareLimits {
  codeTtlMs: number;
  maxWrongTries: number;
  resendCooldownMs: number;
  /** Per identifier within one workspace (codes actually sent; a refused identifier counts its own sends per link). */
  sendsPerIdentifierPerHour: number;
  failuresPerIdentifierPerDay: number;
  /** Per client address, across identifiers, links and workspaces (rate-limiter-flexible, wall-clock windows). */
  sendsPerIpPerHour: number;
  checksPerIpPer10Min: number;
  opensPerIpPer10Min: number;
  /** Per link: opens without a code, and failed verifications before its gate cools down. */
  opensPerLinkPerHour: number;
  failuresPerLinkPerHour: number;
  /** After the failure budget of a link is spent: every live code of it is void and it sends none for this long. */
  linkCooldownMs: number;
  /** Longest a viewer token lives (it also ends with the link). */
  viewerTokenMs: number;
}

export const DEFAULT_SHARE_LIMITS: ShareLimits = {
  codeTtlMs: 10 * 60_000,
  maxWrongTries: 5,
  resendCooldownMs: 30_000,
  sendsPerIdentifierPerHour: 5,
  failuresPerIdentifierPerDay: 100,
  sendsPerIpPerHour: 30,
  checksPerIpPer10Min: 60,
  opensPerIpPer10Min: 30,
  opensPerLinkPerHour: 300,
  failuresPerLinkPerHour: 100,
  linkCooldownMs: 15 * 60_000,
  viewerTokenMs: 24 * 3_600_000,
};

export function shareLimits(config?: AppConfig): ShareLimits {
  return { ...DEFAULT_SHARE_LIMITS, ...config?.share };
}

export interface DocumentLimits {
  /** Largest file accepted, in bytes (per file). */
  maxBytes: number;
  /** Most files in one upload request. */
  maxFiles: number;
  /** Kinds accepted when the workspace has no list of its own (workspaces.document_types). */
  allowedTypes: DocumentKind[];
  /** Largest raw RFC 822 email accepted by POST /messages (it is parsed in memory). */
  maxEmailBytes: number;
  /** Lifetime of signed download links, in seconds. */
  linkSeconds: number;
  /** Interval of SSE heartbeats, in ms. */
  heartbeatMs: number;
  /** Time allowed to fetch one attachment by URL, in ms. */
  fetchTimeoutMs: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxBytes: 250 * 1024 * 1024,
  maxFiles: 20,
  allowedTypes: [...DOCUMENT_KINDS],
  maxEmailBytes: 40 * 1024 * 1024,
  linkSeconds: 5 * 60,
  heartbeatMs: 20_000,
  fetchTimeoutMs: 30_000,
};

export interface AppConfig {
  /** Extra origins answered by CORS for every workspace (the demo host page, for example). */
  extraOrigins?: string[];
  /** Longest session a host may mint, in seconds. */
  maxSessionSeconds?: number;
  /** Limits for documents; unset fields take DEFAULT_DOCUMENT_LIMITS. */
  documents?: Partial<DocumentLimits>;
  /** Origin used in signed links (e.g. https://dossier.example.com); default: the request's own origin. */
  publicUrl?: string;
  /** Share-link gate limits; unset fields take DEFAULT_SHARE_LIMITS. */
  share?: Partial<ShareLimits>;
  /** An operator key for the admin API, from DOSSIER_ADMIN_KEY (keys made by `dossier admin-key create` work too). */
  adminKey?: string;
  /**
   * Reverse proxies in front of the server (DOSSIER_TRUST_PROXY): a hop count or their addresses / CIDRs. Per-IP
   * limits then count the right-most X-Forwarded-For address that is not a proxy; default: the socket address.
   */
  trustProxy?: TrustProxy;
  /** Largest CSV import accepted, in bytes (default 100 MB). */
  importMaxBytes?: number;
  /** Webhook delivery; unset fields take DEFAULT_WEBHOOK_LIMITS. */
  webhooks?: Partial<WebhookLimits>;
  /** Profile pictures (size, pixels, fetch time); unset fields take DEFAULT_AVATAR_LIMITS. */
  avatars?: Partial<AvatarLimits>;
  /** POST /api/v1/org/contacts/query per agency member and minute (default 600; domain/org-query-limit.ts). */
  orgQueriesPerMinute?: number;
}

export interface WebhookLimits {
  /** Endpoints may use plain http and private, loopback or link-local addresses (DOSSIER_WEBHOOKS_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** Time allowed for one delivery attempt (connect, send, answer), in ms. */
  timeoutMs: number;
  /** Retries stop this long after the event was written; the delivery is then marked failed. */
  retryWindowMs: number;
  /** First retry delay; each further retry waits twice as long, up to maxRetryDelayMs. */
  firstRetryMs: number;
  maxRetryDelayMs: number;
  /** How often the worker looks for due deliveries (it is also woken by writes in its own process). */
  pollMs: number;
  /** Most deliveries one worker sends at once. */
  batchSize: number;
  /** Most endpoints per workspace. */
  maxEndpoints: number;
}

export const DEFAULT_WEBHOOK_LIMITS: WebhookLimits = {
  allowPrivate: false,
  timeoutMs: 15_000,
  retryWindowMs: 3 * 24 * 3_600_000,
  firstRetryMs: 30_000,
  maxRetryDelayMs: 6 * 3_600_000,
  pollMs: 1_000,
  batchSize: 50,
  maxEndpoints: 20,
};

export function webhookLimits(config?: AppConfig): WebhookLimits {
  return { ...DEFAULT_WEBHOOK_LIMITS, ...config?.webhooks };
}

/** Everything the app needs from the outside world, injected so tests can control it. */
export interface AppDeps {
  /** SQLite or PostgreSQL; engineOf(db) has what differs between them. */
  db: Db;
  clock: Clock;
  secrets: Secrets;
  config?: AppConfig;
  /** Where document bytes live (local disk under <dataDir>/blobs; S3-compatible later). */
  blobs: BlobStore;
  /** Fetches message attachments given by URL; default refuses private, loopback and link-local addresses. */
  fetcher?: AttachmentFetcher;
  /** The feed domain writes publish to (the SSE streams listen); createApp makes an in-process one when absent. */
  events?: EventFeed;
  /** Verified widget tokens, briefly (createApp makes one on `events`). */
  callers?: CallerCache;
  /** Readiness and shutdown of the serving process (SSE streams end when it drains); absent in tests. */
  lifecycle?: Lifecycle;
  /** How one-time codes are delivered; default: the dev outbox for both channels. */
  transports?: Transports;
  /** The payment provider (Stripe or the test provider; payments/config.ts); absent: payments are off (503). */
  payments?: PaymentProvider;
}

export function documentLimits(config?: AppConfig): DocumentLimits {
  return { ...DEFAULT_DOCUMENT_LIMITS, ...config?.documents };
}
