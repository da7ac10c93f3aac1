// Attribution: where a contact first and most recently came from. Every touch (a visit, a submission, an inbound
// message or call) is kept on its activity row (`activities.attribution`); the contact keeps the first touch
// (set once, changed only by a reset) and the latest (moved by any touch at least as recent).
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { nextVersion, type Attribution } from './contacts.js';

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/** What an event says about its origin (all optional); `url` is the page it landed on. */
export type TouchInput = Omit<Attribution, 'activityId' | 'at'>;

const SEARCH_ENGINES = /(^|\.)(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia)\./i;
const SOCIAL_SITES = /(^|\.)(facebook|instagram|t\.co|twitter|x|linkedin|lnkd\.in|tiktok|youtube|pinterest|reddit)\.(com|in|co)$|(^|\.)t\.co$/i;

const hostOf = (url: string | null | undefined) => {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
};

/** The UTM parameters and click ids a landing URL carries (explicit values win over these). */
export function paramsOf(url: string | null | undefined): TouchInput {
  if (!url) return {};
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return {};
  }
  const out: TouchInput = {};
  for (const key of UTM_KEYS) {
    const v = params.get(`utm_${key}`)?.trim();
    if (v) out[key] = v.slice(0, 200);
  }
  const gclid = params.get('gclid')?.trim();
  const fbclid = params.get('fbclid')?.trim();
  if (gclid) out.gclid = gclid.slice(0, 200);
  if (fbclid) out.fbclid = fbclid.slice(0, 200);
  return out;
}

/** The channel of a touch that did not name one: click ids, then the medium, then the referrer's site. */
export function channelOf(t: TouchInput, fallback: string): string {
  if (t.channel) return t.channel;
  if (t.gclid) return 'paid_search';
  if (t.fbclid) return 'paid_social';
  const medium = t.medium?.toLowerCase() ?? '';
  if (/^(cpc|ppc|paid|paidsearch|paid_search|sem)$/.test(medium)) return 'paid_search';
  if (/^(paid_?social|social_?paid|cpm)$/.test(medium)) return 'paid_social';
  if (/^(social|social[-_]network|social[-_]media|sm)$/.test(medium)) return 'social';
  if (/^e-?mail$|newsletter/.test(medium)) return 'email';
  if (medium === 'organic') return 'organic_search';
  if (medium) return 'referral';
  const host = hostOf(t.referrer);
  if (host && SEARCH_ENGINES.test(host)) return 'organic_search';
  if (host && SOCIAL_SITES.test(host)) return 'social';
  if (host) return 'referral';
  return fallback;
}

/** The touch as stored: UTM (from the URL when not given), referrer, landing page, click ids, channel, source. */
export function touchOf(input: TouchInput, fallbackChannel: string, activityId: string, at: number): Attribution {
  const merged: TouchInput = { ...paramsOf(input.url), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null && v !== '')) };
  const channel = channelOf(merged, fallbackChannel);
  return {
    source: merged.source ?? hostOf(merged.referrer) ?? null,
    medium: merged.medium ?? null,
    campaign: merged.campaign ?? null,
    term: merged.term ?? null,
    content: merged.content ?? null,
    referrer: merged.referrer ?? null,
    url: merged.url ?? null,
    gclid: merged.gclid ?? null,
    fbclid: merged.fbclid ?? null,
    channel,
    activityId,
    at,
  };
}

/**
 * Applies a touch to the contact, inside the writer's transaction: the first touch only when there is none (one
 * statement, so two concurrent first touches cannot both win), the latest when this one is at least as recent.
 */
export async function applyTouch(trx: Db, workspaceId: string, contactId: string, touch: Attribution): Promise<void> {
  const json = JSON.stringify(touch);
  await trx
    .updateTable('contacts')
    .set({ attribution_first: sql<string>`coalesce(attribution_first, ${json})`, version: nextVersion })
    .where('id', '=', contactId)
    .where('workspace_id', '=', workspaceId)
    .execute();
  const row = await trx.selectFrom('contacts').select('attribution_latest').where('id', '=', contactId).executeTakeFirst();
  const latestAt = row?.attribution_latest ? (JSON.parse(row.attribution_latest) as Attribution).at ?? 0 : -1;
  if ((touch.at ?? 0) >= latestAt) await trx.updateTable('contacts').set({ attribution_latest: json }).where('id', '=', contactId).execute();
}

export interface TouchJson extends Attribution {
  activityId: string;
  kind: string;
  title: string;
  at: number;
}

/** Every touch of the contact, newest first (the "Understanding attribution" list); at most `limit`. */
export async function listTouches(db: Db, workspaceId: string, contactId: string, limit: number): Promise<{ items: TouchJson[]; truncated: boolean }> {
  const rows = await db
    .selectFrom('activities')
    .select(['id', 'kind', 'summary', 'attribution', 'at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('attribution', 'is not', null)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((r) => ({ ...(JSON.parse(r.attribution!) as Attribution), activityId: r.id, kind: r.kind, title: r.summary, at: r.at }));
  return { items, truncated: rows.length > limit };
}

export type ResetMode = 'clear' | 'recompute';

/**
 * Resets the contact's attribution. `clear`: both go empty, so the next touch becomes the first. `recompute`: the
 * first becomes the earliest touch recorded and the latest the newest (after touches were deleted or moved).
 */
export async function resetAttribution(trx: Db, workspaceId: string, contactId: string, mode: ResetMode): Promise<{ first: Attribution | null; latest: Attribution | null }> {
  let first: Attribution | null = null;
  let latest: Attribution | null = null;
  if (mode === 'recompute') {
    const pick = async (dir: 'asc' | 'desc') => {
      const r = await trx
        .selectFrom('activities')
        .select(['id', 'attribution'])
        .where('workspace_id', '=', workspaceId)
        .where('contact_id', '=', contactId)
        .where('attribution', 'is not', null)
        .orderBy('at', dir)
        .orderBy('id', dir)
        .executeTakeFirst();
      return r ? (JSON.parse(r.attribution!) as Attribution) : null;
    };
    first = await pick('asc');
    latest = await pick('desc');
  }
  await trx
    .updateTable('contacts')
    .set({ attribution_first: first && JSON.stringify(first), attribution_latest: latest && JSON.stringify(latest), version: nextVersion })
    .where('id', '=', contactId)
    .where('workspace_id', '=', workspaceId)
    .execute();
  return { first, latest };
}
