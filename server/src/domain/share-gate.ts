// The public side of share links: what the gate needs, one-time codes (HMAC at rest, single use, tries,
// cooldowns, caps), passing the gate (the viewer becomes — or is found as — a contact of the workspace), viewer
// tokens scoped to one link, and view reports. No HTTP in here; routes/share-viewer.ts maps it to routes.
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { ShareLinkRow, ViewerChannel } from '../db/schema.js';
import { shareLimits, type AppDeps, type ShareLimits } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { TransportError, type Transports } from '../transports/transport.js';
import { OutboxTransport } from '../transports/outbox.js';
import { writeAudit } from './audit.js';
import { normalizePhone } from './contact-rules.js';
import { refreshDisplayName } from './contacts.js';
import { identifierAllowed, linkStatus } from './share-links.js';

const emailSchema = z.email();

/** The one answer for unknown, deleted, disabled and expired links: no hint which. */
export const notAvailable = () => new ApiError(404, 'link_unavailable', 'This link is not available. Ask the person who shared it for a new one.');
const tooMany = (code: string, message: string, retryAfterSeconds: number) => new ApiError(429, code, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });

export interface GateInfo {
  require: ShareLinkRow['require'];
  verifyOtp: boolean;
  /** Only for links without a gate; a gated link tells nothing about its document before the gate. */
  name?: string;
  codeLength: 6;
}

export interface ViewerClaims {
  kind: 'share-viewer';
  /** Link id, view id, contact id (null for an ungated link). */
  lnk: string;
  vid: string;
  sub: string | null;
  exp: number;
  [key: string]: unknown;
}

export interface OpenedView {
  token: string;
  expiresAt: number;
  viewId: string;
  contactId: string | null;
  document: { name: string; kind: string; mediaType: string; size: number; inline: boolean };
  link: { name: string; allowDownload: boolean };
}

export interface SendResult {
  sent: true;
  channel: ViewerChannel;
  /** The viewer may ask again after this many seconds. */
  cooldownSeconds: number;
  expiresInSeconds: number;
}

const viewerKey = (deps: AppDeps) => `${deps.secrets.tokenSecret}:share-viewer`;
const otpKey = (deps: AppDeps) => deps.secrets.otpSecret ?? createHash('sha256').update(`${deps.secrets.tokenSecret}:otp`).digest('base64url');

export class ShareGate {
  readonly limits: ShareLimits;
  private readonly transports: Transports;
  /** Moving average of how long real sends take, so refused sends wait about as long. */
  private sendMs = 40;

  constructor(private readonly deps: AppDeps) {
    this.limits = shareLimits(deps.config);
    const outbox = new OutboxTransport(deps.db, deps.clock);
    this.transports = deps.transports ?? { email: outbox, whatsapp: outbox };
  }

  private get db(): Db {
    return this.deps.db;
  }
  private now() {
    return this.deps.clock.now();
  }

  /** HMAC of the code bound to its link and identifier: a code for link A never matches on link B. */
  codeHmac(linkId: string, identifier: string, code: string) {
    return createHmac('sha256', otpKey(this.deps)).update(`otp\u0000${linkId}\u0000${identifier}\u0000${code}`).digest('base64url');
  }

  /** A link that can be opened now, or the uniform 404. */
  async activeLink(slug: string): Promise<ShareLinkRow> {
    if (!/^[A-Za-z0-9_-]{10,64}$/.test(slug)) throw notAvailable();
    const row = await this.db.selectFrom('share_links').selectAll().where('slug', '=', slug).executeTakeFirst();
    if (!row || linkStatus(row, this.now()) !== 'active') throw notAvailable();
    const doc = await this.db.selectFrom('documents').select('id').where('id', '=', row.document_id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!doc) throw notAvailable();
    return row;
  }

  async info(slug: string): Promise<GateInfo> {
    const link = await this.activeLink(slug);
    return { require: link.require, verifyOtp: link.verify_otp === 1, codeLength: 6, ...(link.require === 'none' ? { name: link.name } : {}) };
  }

  /** Normalizes what the viewer typed for the channel, checking the channel fits the link. 422 when malformed. */
  async identify(link: ShareLinkRow, channel: ViewerChannel, raw: string): Promise<string> {
    if (link.require === 'none') throw new ApiError(400, 'no_gate', 'This link needs no email or phone number; open it directly.');
    if (link.require !== 'either' && link.require !== channel) {
      throw new ApiError(400, 'wrong_channel', `This link asks for ${link.require === 'email' ? 'an email address' : 'a WhatsApp number'}.`, { field: 'channel' });
    }
    if (channel === 'email') {
      const value = raw.trim().toLowerCase();
      if (!emailSchema.safeParse(value).success) throw new ApiError(422, 'invalid_field', `"${raw}" is not a valid email address.`, { field: 'identifier' });
      return value;
    }
    const region = (await this.db.selectFrom('workspaces').select('default_region').where('id', '=', link.workspace_id).executeTakeFirst())?.default_region ?? 'US';
    const phone = normalizePhone(raw, region);
    if (!phone) throw new ApiError(422, 'invalid_field', `"${raw}" is not a valid phone number; include the country code.`, { field: 'identifier' });
    return phone;
  }

  // ——— rate limits ———

  private async hits(bucket: string, key: string, since: number) {
    const row = await this.db.selectFrom('rate_hits').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('at').as('first')]).where('bucket', '=', bucket).where('key', '=', key).where('at', '>', since).executeTakeFirstOrThrow();
    return { n: Number(row.n), first: row.first };
  }
  private async hit(bucket: string, key: string) {
    const now = this.now();
    await this.db.insertInto('rate_hits').values({ bucket, key, at: now }).execute();
    // Keep the table small: forget hits older than a day, now and then.
    if (Math.random() < 0.02) await this.db.deleteFrom('rate_hits').where('at', '<', now - 86_400_000).execute();
  }
  private async limitIp(bucket: string, ip: string, max: number, windowMs: number) {
    const now = this.now();
    const { n, first } = await this.hits(bucket, ip, now - windowMs);
    if (n >= max) throw tooMany('rate_limited', 'Too many requests from your network. Wait a little and try again.', ((first ?? now) + windowMs - now) / 1000);
    await this.hit(bucket, ip);
  }

  private async failuresToday(identifier: string) {
    const row = await this.db.selectFrom('otp_challenges').select((eb) => eb.fn.sum<number>('attempts').as('n')).where('identifier', '=', identifier).where('created_at', '>', this.now() - 86_400_000).executeTakeFirstOrThrow();
    return Number(row.n ?? 0);
  }

  // ——— codes ———

  /**
   * Sends a new code (replacing the previous one). Deny-listed or not-allowed identifiers get the same answer,
   * after about the same time, and nothing is sent. Refused < 30 s after the last send, over 5 sends an hour,
   * over 100 failed tries a day, and per-IP limits; a transport failure is a retryable 503 (nothing pretends).
   */
  async sendCode(slug: string, channel: ViewerChannel, raw: string, ip: string): Promise<SendResult> {
    const started = performance.now();
    const link = await this.activeLink(slug);
    const identifier = await this.identify(link, channel, raw);
    if (link.verify_otp !== 1) throw new ApiError(400, 'no_code_needed', 'This link does not send codes; open it with your address alone.');
    const L = this.limits;
    const now = this.now();
    await this.limitIp('send-ip', ip, L.sendsPerIpPerHour, 3_600_000);

    const last = await this.db.selectFrom('otp_challenges').select('created_at').where('link_id', '=', link.id).where('identifier', '=', identifier).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (last && now - last.created_at < L.resendCooldownMs) {
      throw tooMany('resend_too_soon', 'A code was just sent. Wait a moment before asking for another.', (last.created_at + L.resendCooldownMs - now) / 1000);
    }
    const hour = await this.db.selectFrom('otp_challenges').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('created_at').as('first')]).where('identifier', '=', identifier).where('created_at', '>', now - 3_600_000).executeTakeFirstOrThrow();
    if (Number(hour.n) >= L.sendsPerIdentifierPerHour) {
      throw tooMany('too_many_codes', 'Too many codes were sent to this address in the last hour. Try again later.', ((hour.first ?? now) + 3_600_000 - now) / 1000);
    }
    if ((await this.failuresToday(identifier)) >= L.failuresPerIdentifierPerDay) {
      throw tooMany('identifier_locked', 'Too many wrong codes for this address today. Try again tomorrow.', 86_400);
    }

    const allowed = identifierAllowed(link, identifier);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = newId('otp_');
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('otp_challenges').set({ replaced_at: now }).where('link_id', '=', link.id).where('identifier', '=', identifier).where('replaced_at', 'is', null).where('consumed_at', 'is', null).execute();
      await trx
        .insertInto('otp_challenges')
        .values({ id, link_id: link.id, channel, identifier, code_hmac: this.codeHmac(link.id, identifier, code), expires_at: now + L.codeTtlMs, attempts: 0, consumed_at: null, replaced_at: null, suppressed: allowed ? 0 : 1, created_at: now, ip })
        .execute();
    });
    if (allowed) {
      const ws = await this.db.selectFrom('workspaces').select(['id', 'name']).where('id', '=', link.workspace_id).executeTakeFirstOrThrow();
      const t0 = performance.now();
      try {
        await this.transports[channel].send({ channel, to: identifier, code, linkName: link.name, workspaceId: ws.id, workspaceName: ws.name, expiresMinutes: Math.round(L.codeTtlMs / 60_000) });
      } catch (err) {
        // Nothing was sent: forget the challenge (no cooldown for a send that did not happen) and say so.
        await this.db.deleteFrom('otp_challenges').where('id', '=', id).execute();
        console.error(`[dossier] code delivery failed (${channel} via ${this.transports[channel].name}) for link ${link.id}:`, (err as Error).message);
        const retryable = !(err instanceof TransportError) || err.retryable;
        throw new ApiError(503, 'delivery_failed', retryable ? 'We could not send your code just now. Please try again in a moment.' : 'We could not send a code to this address. Check it, or use another one.', { retryable });
      }
      this.sendMs = this.sendMs * 0.8 + (performance.now() - t0) * 0.2;
    } else {
      // Same answer, about the same time, nothing sent.
      const spent = performance.now() - started;
      const wait = Math.max(0, this.sendMs - spent + (Math.random() - 0.5) * 0.2 * this.sendMs);
      await new Promise((r) => setTimeout(r, wait));
    }
    return { sent: true, channel, cooldownSeconds: Math.ceil(L.resendCooldownMs / 1000), expiresInSeconds: Math.round(L.codeTtlMs / 1000) };
  }

  /** Checks a code; on success passes the gate with the identifier marked verified. */
  async verifyCode(slug: string, channel: ViewerChannel, raw: string, code: string, ip: string): Promise<OpenedView> {
    const link = await this.activeLink(slug);
    const identifier = await this.identify(link, channel, raw);
    if (link.verify_otp !== 1) throw new ApiError(400, 'no_code_needed', 'This link does not use codes; open it with your address alone.');
    const L = this.limits;
    await this.limitIp('check-ip', ip, L.checksPerIpPer10Min, 600_000);
    if ((await this.failuresToday(identifier)) >= L.failuresPerIdentifierPerDay) {
      throw tooMany('identifier_locked', 'Too many wrong codes for this address today. Try again tomorrow.', 86_400);
    }
    const now = this.now();
    const challenge = await this.db
      .selectFrom('otp_challenges')
      .selectAll()
      .where('link_id', '=', link.id)
      .where('identifier', '=', identifier)
      .where('replaced_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!challenge) throw new ApiError(400, 'no_code', 'No code was sent to this address for this link. Send a code first.');
    if (challenge.consumed_at !== null) throw new ApiError(400, 'code_used', 'This code was already used. Send a new one.');
    if (challenge.expires_at <= now) throw new ApiError(400, 'code_expired', 'This code has expired. Send a new one.');
    // Reserve a try atomically before comparing: concurrent guesses cannot get more than maxWrongTries checks.
    const reserved = await this.db
      .updateTable('otp_challenges')
      .set({ attempts: sql<number>`attempts + 1` })
      .where('id', '=', challenge.id)
      .where('attempts', '<', L.maxWrongTries)
      .where('consumed_at', 'is', null)
      .returning('attempts')
      .executeTakeFirst();
    if (!reserved) throw new ApiError(400, 'code_dead', 'Too many wrong tries for this code. Send a new one.', { triesLeft: 0 });
    const given = Buffer.from(this.codeHmac(link.id, identifier, /^\d{6}$/.test(code.trim()) ? code.trim() : 'x'));
    const expected = Buffer.from(challenge.code_hmac);
    const ok = challenge.suppressed === 0 && given.length === expected.length && timingSafeEqual(given, expected);
    if (!ok) {
      const triesLeft = Math.max(0, L.maxWrongTries - reserved.attempts);
      throw triesLeft === 0
        ? new ApiError(400, 'code_dead', 'Wrong code, and no tries left for it. Send a new one.', { triesLeft: 0 })
        : new ApiError(400, 'code_wrong', `Wrong code, ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`, { triesLeft });
    }
    // Single use: only the request that flips consumed_at wins; the reserved try was not a failure, give it back.
    const flipped = await this.db
      .updateTable('otp_challenges')
      .set({ consumed_at: now, attempts: sql<number>`attempts - 1` })
      .where('id', '=', challenge.id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (Number(flipped.numUpdatedRows) !== 1) throw new ApiError(400, 'code_used', 'This code was already used. Send a new one.');
    return this.pass(link, { channel, identifier, verified: true });
  }

  /** Opens a link without a code: ungated links, or gated links with verification off (identifier alone). */
  async open(slug: string, who: { channel?: ViewerChannel; identifier?: string }): Promise<OpenedView> {
    const link = await this.activeLink(slug);
    if (link.require === 'none') return this.pass(link, null);
    if (link.verify_otp === 1) throw new ApiError(400, 'code_required', 'This link needs a code; send one first.');
    if (!who.channel || !who.identifier) throw new ApiError(422, 'invalid_field', 'Enter your email address or WhatsApp number.', { field: 'identifier' });
    const identifier = await this.identify(link, who.channel, who.identifier);
    if (!identifierAllowed(link, identifier)) throw new ApiError(403, 'access_denied', 'This address may not open this link. Ask the person who shared it.');
    return this.pass(link, { channel: who.channel, identifier, verified: false });
  }

  /**
   * The viewer passed: find the workspace contact by normalized email / E.164 phone or create one (source
   * share-link), mark the identifier verified when a code was checked, link the contact to the share link, start a
   * view, add an activity and an audit entry, bump the contact's access counters, and hand out a viewer token.
   */
  private async pass(link: ShareLinkRow, who: { channel: ViewerChannel; identifier: string; verified: boolean } | null): Promise<OpenedView> {
    const now = this.now();
    const doc = await this.db.selectFrom('documents').selectAll().where('id', '=', link.document_id).executeTakeFirstOrThrow();
    const viewId = newId('lv_');
    const tokenId = newId('vt_');
    let contactId: string | null = null;
    await this.db.transaction().execute(async (trx) => {
      if (who) {
        contactId = await findOrCreateViewer(trx, link.workspace_id, who, now);
        await trx
          .insertInto('share_link_contacts')
          .values({ workspace_id: link.workspace_id, link_id: link.id, contact_id: contactId, channel: who.channel, identifier: who.identifier, first_at: now, last_at: now, view_count: 1 })
          .onConflict((oc) => oc.columns(['link_id', 'contact_id']).doUpdateSet({ last_at: now, view_count: sql<number>`share_link_contacts.view_count + 1`, channel: who.channel, identifier: who.identifier }))
          .execute();
        await trx.updateTable('contacts').set({ last_accessed_at: now, access_count: sql<number>`access_count + 1` }).where('id', '=', contactId).execute();
        const summary = `Viewed "${doc.name}" via "${link.name}"`;
        await trx
          .insertInto('activities')
          .values({ id: newId('ac_'), workspace_id: link.workspace_id, contact_id: contactId, kind: 'document_view', channel: who.channel, direction: 'inbound', summary, data: JSON.stringify({ linkId: link.id, documentId: doc.id, viewId, verified: who.verified }), at: now })
          .execute();
        await writeAudit(trx, {
          workspaceId: link.workspace_id,
          contactId,
          actor: { id: null, type: 'viewer' },
          action: 'share_link.viewed',
          changes: { view: { before: null, after: { summary, linkId: link.id, documentId: doc.id, viewId, channel: who.channel, identifier: who.identifier, verified: who.verified } } },
          at: now,
        });
      }
      await trx.insertInto('link_views').values({ id: viewId, workspace_id: link.workspace_id, link_id: link.id, contact_id: contactId, token_id: tokenId, channel: who?.channel ?? null, started_at: now, duration_ms: 0, pages_seen: '[]', downloaded: 0, updated_at: now }).execute();
    });
    const expiresAt = Math.min(now + this.limits.viewerTokenMs, link.expires_at ?? Number.MAX_SAFE_INTEGER);
    const claims: ViewerClaims = { kind: 'share-viewer', lnk: link.id, vid: viewId, sub: contactId, jti: tokenId, exp: Math.floor(expiresAt / 1000) };
    const token = await sign(claims, viewerKey(this.deps), 'HS256');
    const inline = ['pdf', 'png', 'jpg', 'gif', 'webp'].includes(doc.kind);
    return {
      token,
      expiresAt: Math.floor(expiresAt / 1000) * 1000,
      viewId,
      contactId,
      document: { name: doc.name, kind: doc.kind, mediaType: doc.media_type, size: doc.size, inline },
      link: { name: link.name, allowDownload: link.allow_download === 1 },
    };
  }

  /** Verifies a viewer token for this link (the slug must match the token's link) and that the link is still open. */
  async viewer(slug: string, token: string | null): Promise<{ link: ShareLinkRow; claims: ViewerClaims }> {
    if (!token) throw new ApiError(401, 'viewer_token_required', 'Open the link again to view this document.');
    let claims: ViewerClaims;
    try {
      claims = (await verify(token, viewerKey(this.deps), { alg: 'HS256', exp: false })) as ViewerClaims;
    } catch {
      throw new ApiError(401, 'viewer_token_invalid', 'Open the link again to view this document.');
    }
    if (claims.kind !== 'share-viewer' || typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) {
      throw new ApiError(401, 'viewer_token_expired', 'Your viewing session ended. Open the link again.');
    }
    const link = await this.activeLink(slug);
    if (link.id !== claims.lnk) throw new ApiError(403, 'viewer_token_scope', 'This viewing session belongs to another link.');
    return { link, claims };
  }

  /** Records what the viewer page reports: duration (the longest report wins), pages seen (union), downloaded. */
  async report(viewId: string, input: { durationMs?: number; pages?: number[]; downloaded?: boolean }) {
    const now = this.now();
    const row = await this.db.selectFrom('link_views').select(['duration_ms', 'pages_seen', 'downloaded', 'started_at']).where('id', '=', viewId).executeTakeFirst();
    if (!row) return;
    // A duration can't exceed the time since the view started (plus a little clock skew).
    const cap = now - row.started_at + 60_000;
    const duration = Math.max(row.duration_ms, Math.min(cap, Math.max(0, Math.round(input.durationMs ?? 0))));
    const pages = [...new Set([...(JSON.parse(row.pages_seen) as number[]), ...(input.pages ?? [])])].filter((p) => Number.isInteger(p) && p > 0 && p < 100_000).sort((a, b) => a - b).slice(0, 5000);
    await this.db
      .updateTable('link_views')
      .set({ duration_ms: duration, pages_seen: JSON.stringify(pages), downloaded: row.downloaded || input.downloaded ? 1 : 0, updated_at: now })
      .where('id', '=', viewId)
      .execute();
  }
}

/** Finds the viewer's contact in the workspace (live, not merged) by email or phone, else creates it. */
async function findOrCreateViewer(trx: Db, workspaceId: string, who: { channel: ViewerChannel; identifier: string; verified: boolean }, now: number): Promise<string> {
  // Viewers (and messages) with the same address arriving at once find one contact (see message-contacts.ts).
  await engineOf(trx).locks.hold(trx, [`contact:${workspaceId}:${who.identifier}`]);
  const table = who.channel === 'email' ? 'contact_emails' : 'contact_phones';
  const found = await trx
    .selectFrom('contacts')
    .select('contacts.id')
    .where('contacts.workspace_id', '=', workspaceId)
    .where('contacts.deleted_at', 'is', null)
    .where('contacts.merged_into_id', 'is', null)
    .where('contacts.id', 'in', trx.selectFrom(table).select('contact_id').where('workspace_id', '=', workspaceId).where('value', '=', who.identifier))
    .orderBy('contacts.created_at')
    .limit(1)
    .executeTakeFirst();
  if (found) {
    if (who.verified) {
      await trx.updateTable(table).set({ verified_at: now }).where('contact_id', '=', found.id).where('value', '=', who.identifier).where('verified_at', 'is', null).execute();
    }
    return found.id;
  }
  const id = newId('ct_');
  await trx
    .insertInto('contacts')
    .values({ id, workspace_id: workspaceId, display_name: who.identifier, source: 'share-link', last_channel: who.channel, created_at: now, updated_at: now, attribution_first: null, last_accessed_at: null, access_count: 0 })
    .execute();
  const row = { workspace_id: workspaceId, contact_id: id, value: who.identifier, label: null, is_primary: 1, position: 0, verified_at: who.verified ? now : null };
  if (who.channel === 'email') await trx.insertInto('contact_emails').values({ id: newId('em_'), ...row }).execute();
  else await trx.insertInto('contact_phones').values({ id: newId('ph_'), ...row, label: 'mobile' }).execute();
  await refreshDisplayName(trx, id);
  await writeAudit(trx, {
    workspaceId,
    contactId: id,
    actor: { id: null, type: 'viewer' },
    action: 'contact.created',
    changes: { source: { before: null, after: 'share-link' }, [who.channel === 'email' ? 'emails' : 'phones']: { before: null, after: [{ value: who.identifier, verified: who.verified }] } },
    at: now,
  });
  return id;
}
