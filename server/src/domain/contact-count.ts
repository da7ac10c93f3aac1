// How many contacts a compiled query matches: exact when cheap, otherwise a labelled estimate; cached per
// (workspace, what matches) until any contact of the workspace changes (the counters migration 005 keeps).
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { engineOf, type SearchTerms } from '../db/engine/index.js';
import type { CompiledQuery } from './contact-query.js';

export interface Counted {
  count: number;
  estimated: boolean;
}

/** Up to `exactWorkspace` live contacts, counting the matches exactly is cheap enough on every first page. Tests lower it. */
export const countLimits = { exactWorkspace: 20_000 };
const HIT_SAMPLE = 2_000;
/** Relative-date filters ("in the last 7 days") drift with time even when nothing is written. */
const CACHE_MS = 60_000;
const CACHE_ENTRIES = 2_000;
const cache = new Map<string, Counted & { version: number; at: number }>();

/** The workspace's change counter and live total (both kept by triggers, migration 005). */
export function countersOf(db: Db, workspaceId: string) {
  return engineOf(db).counters.read(db, workspaceId);
}

function remember(key: string, counted: Counted, version: number) {
  cache.delete(key);
  cache.set(key, { ...counted, version, at: Date.now() });
  // Oldest first in insertion order: drop it.
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
}

async function exactCount(db: Db, q: CompiledQuery): Promise<number> {
  const row = await db.selectFrom(q.base().select(sql.lit(1).as('one')).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A count cached before this many changes (or 0.5 % of it, if more) still makes a good estimate. */
const STALE_CHANGES = 50;
const refreshing = new Set<string>();

/**
 * How many contacts match, cached while the workspace's change counter holds (at most CACHE_MS). Exact for the
 * restore bin, small workspaces, few search hits and when asked (`exact`); for a big workspace with no search or
 * filter, the total; otherwise an estimate.
 * `stale`: after a few changes, answer the cached count as an estimate (each changed contact moves it by at most
 * one, and the counter counts every change) and recount in the background, so a page never waits on a recount.
 */
export async function countMatches(db: Db, q: CompiledQuery, opts: { exact?: boolean; stale?: boolean } = {}): Promise<Counted> {
  const { version, total } = await countersOf(db, q.workspaceId);
  const hit = cache.get(q.matchKey);
  const recent = hit && Date.now() - hit.at < CACHE_MS;
  // An exact count answers anyone; an estimate only those who did not insist on exact.
  if (hit && recent && hit.version === version && !(opts.exact && hit.estimated)) return { count: hit.count, estimated: hit.estimated };
  if (hit && recent && opts.stale && !opts.exact && q.narrowed && total > countLimits.exactWorkspace && version - hit.version <= Math.max(STALE_CHANGES, hit.count / 200)) {
    recountSoon(db, q, total);
    return { count: hit.count, estimated: true };
  }
  const counted = await countNow(db, q, total, opts.exact === true);
  remember(q.matchKey, counted, version);
  return counted;
}

function recountSoon(db: Db, q: CompiledQuery, total: number) {
  if (refreshing.has(q.matchKey)) return;
  refreshing.add(q.matchKey);
  setImmediate(async () => {
    try {
      const { version } = await countersOf(db, q.workspaceId);
      remember(q.matchKey, await countNow(db, q, total, false), version);
    } catch {
      // The next request counts again; nothing waits on this one (the database may have closed meanwhile).
    } finally {
      refreshing.delete(q.matchKey);
    }
  });
}

async function countNow(db: Db, q: CompiledQuery, total: number, exact: boolean): Promise<Counted> {
  if (exact || q.deleted) return { count: await exactCount(db, q), estimated: false };
  if (total <= countLimits.exactWorkspace) return { count: await exactCount(db, q), estimated: false };
  if (!q.narrowed) return { count: total, estimated: false };
  if (q.fewHits) return { count: await exactCount(db, q), estimated: false };
  return q.match ? estimateSearch(db, q, q.match) : estimateFromSample(db, q, total);
}

/** Many search hits: all hits, times the share of a sample of them that passes the rest of the query. */
async function estimateSearch(db: Db, q: CompiledQuery, match: SearchTerms): Promise<Counted> {
  const { search } = engineOf(db);
  const n = await search.estimateHits(db, q.workspaceId, match);
  const passing = await db
    .selectFrom(q.base().where(search.amongFirstHits(match, q.workspaceId, HIT_SAMPLE)).select(sql.lit(1).as('one')).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { count: Math.round((n * Number(passing.n)) / Math.max(1, Math.min(HIT_SAMPLE, n))), estimated: true };
}

/** The match rate over a fixed sample of the workspace's contacts times the total, so the cost stays flat whatever the filter. */
async function estimateFromSample(db: Db, q: CompiledQuery, total: number): Promise<Counted> {
  const { sampled, matched } = await engineOf(db).sampling.matchRate(db, q.workspaceId, q.base);
  if (!sampled) return { count: await exactCount(db, q), estimated: false };
  return { count: Math.round((matched / sampled) * total), estimated: true };
}
