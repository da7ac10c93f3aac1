import type { Db } from './db/connection.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Secrets {
  /** Signs widget session tokens (HMAC-SHA256). */
  tokenSecret: string;
}

export interface AppConfig {
  /** Extra origins answered by CORS for every workspace (the demo host page, for example). */
  extraOrigins?: string[];
  /** Longest session a host may mint, in seconds. */
  maxSessionSeconds?: number;
}

/** Everything the app needs from the outside world, injected so tests can control it. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  secrets: Secrets;
  config?: AppConfig;
}
