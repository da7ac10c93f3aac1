// The public side of share links: what the gate needs, one-time codes (HMAC at rest, single use, tries,
// cooldowns, caps), passing the gate (the viewer becomes — or is found as — a contact of the workspace), viewer
// tokens scoped to one link, and view reports. No HTTP in here; routes/share-viewer.ts maps it to routes.
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { sql } from 'kysely';
import { z } from 'zod';
import { compiledOnce } from '../db/compiled.js';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { ShareLinkRow, ShareRequire, ViewerChannel } from '../db/schema.js';
import { shareLimits, type AppDeps, type ShareLimits } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { newId } from '../ids.js';
import { log } from '../log.js';
import { TransportError, type Transports } from '../transports/transport.js';
import { OutboxTransport } from '../transports/outbox.js';
import { writeAudit } from './audit.js';
import { viewUpdatedEvent } from './webhook-events.js';
import { enqueueWebhook } from './webhook-outbox.js';
import { normalizePhone } from './contact-rules.js';
import { nextVersion, refreshDisplayName } from './contacts.js';
import { GateLimits, tooMany } from './share-gate-limits.js';
import { identifierAllowed, linkStatus } from './share-links.js';

const emailSchema = z.email();

/** Code deliveries under way in this process (they never hold up an answer); tests wait for them. */
const deliveries = new Set<Promise<void>>();

/** Resolves once every delivery started so far has ended (sent, or failed and marked). */
export async function deliveriesSettled(): Promise<void> {
  while (deliveries.size) await Promise.allSettled([...deliveries]);
}

/** The one answer for unknown, deleted, disabled and expired links: no hint which. */
export const notAvailable = () => new ApiError(404, 'link_unavailable', 'This link is not available. Ask the person who shared it for a new one.');

export interface GateInfo {
  // The plain union, not the row's column: the widgets' published declarations carry this type, not the schema's.
  require: ShareRequire;
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
  /** The link's gate version when the token was issued: changing the gate, its lists, expiry or disabling it revokes. */
  gv: number;
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

/** Who passes a gate that asks for an address. */
type Viewer = { channel: ViewerChannel; identifier: string; verified: boolean };

/** What passing the gate wrote. */
interface Passed {
  viewId: string;
  tokenId: string;
  contactId: string | null;
  created: boolean;
  /** The viewer contact's version after the pass (what the contact feed announces). */
  version: number;
}

/** The document of a link as a viewer who passed is told about it. */
interface SharedDocument {
  id: string;
  name: string;
  kind: string;
  media_type: string;
  size: number;
}

const viewerKey = (deps: AppDeps) => `${deps.secrets.tokenSecret}:share-viewer`;
const otpKey = (deps: AppDeps) => deps.secrets.otpSecret ?? createHash('sha256').update(`${deps.secrets.tokenSecret}:otp`).digest('base64url');

export class ShareGate {
  readonly limits: ShareLimits;
  private readonly transports: Transports;
  private readonly guard: GateLimits;
  /** Derived once: every send and verify HMACs with it. */
  private readonly otpKey: string;

  constructor(private readonly deps: AppDeps) {
    this.limits = shareLimits(deps.config);
    this.otpKey = otpKey(deps);
    const outbox = new OutboxTransport(deps.db, deps.clock);
    this.transports = deps.transports ?? { email: outbox, whatsapp: outbox };
    this.guard = new GateLimits(deps, this.limits);
  }

  private get db(): Db {
    return this.deps.db;
  }
  private now() {
    return this.deps.clock.now();
  }

  /** HMAC of the code bound to its link and identifier: a code for link A never matches on link B. */
  codeHmac(linkId: string, identifier: string, code: string) {
    return createHmac('sha256', this.otpKey).update(`otp\u0000${linkId}\u0000${identifier}\u0000${code}`).digest('base64url');
  }

  /** A link that can be opened now, or the uniform 404. */
  async activeLink(slug: string): Promise<ShareLinkRow> {
    return (await this.activeLinkAndDocument(slug)).link;
  }

  /** The active link and what a viewer who passes its gate is told about its document, read in one statement. */
  private async activeLinkAndDocument(slug: string): Promise<{ link: ShareLinkRow; doc: SharedDocument }> {
    if (!/^[A-Za-z0-9_-]{10,64}$/.test(slug)) throw notAvailable();
    // The document, and the contact it belongs to, must be live: a contact in the restore bin shares nothing.
    const [row] = await linkAndDocument(this.db, { slug });
    if (!row || linkStatus(row, this.now()) !== 'active') throw notAvailable();
    const { doc_name, doc_kind, doc_media_type, doc_size, ...link } = row;
    return { link, doc: { id: link.document_id, name: doc_name, kind: doc_kind, media_type: doc_media_type, size: doc_size } };
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

  // ——— codes ———

  /**
   * Sends a new code (replacing the previous one). Deny-listed or not-allowed identifiers get the same answer after
   * the same work, and nothing is sent: the answer never waits for the delivery, which runs in the background (a
   * failed delivery marks the code, and verifying it says so). Refused < 30 s after the last send, over 5 sends an
   * hour, over 100 failed tries a day, by the per-IP budget and while the link cools down.
   */
  async sendCode(slug: string, channel: ViewerChannel, raw: string, ip: string): Promise<SendResult> {
    const link = await this.activeLink(slug);
    const identifier = await this.identify(link, channel, raw);
    if (link.verify_otp !== 1) throw new ApiError(400, 'no_code_needed', 'This link does not send codes; open it with your address alone.');
    const L = this.limits;
    await this.guard.sendFrom(ip);
    await this.guard.assertNotCoolingDown(link);

    const allowed = identifierAllowed(link, identifier);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = newId('otp_');
    // Checks and insert in one transaction, so concurrent sends cannot all pass the caps.
    await this.db.transaction().execute(async (trx) => {
      // PostgreSQL runs sends in parallel: the checks must see each other's codes (SQLite runs one at a time).
      await engineOf(trx).locks.hold(trx, [`otp-send:${link.workspace_id}:${identifier}`]);
      const now = this.now();
      await this.guard.assertMaySend(trx, link, identifier, allowed, now);
      await trx.updateTable('otp_challenges').set({ replaced_at: now }).where('link_id', '=', link.id).where('identifier', '=', identifier).where('replaced_at', 'is', null).where('consumed_at', 'is', null).execute();
      await trx
        .insertInto('otp_challenges')
        .values({ id, link_id: link.id, channel, identifier, code_hmac: this.codeHmac(link.id, identifier, code), expires_at: now + L.codeTtlMs, attempts: 0, consumed_at: null, replaced_at: null, suppressed: allowed ? 0 : 1, delivery_failed: null, created_at: now, ip })
        .execute();
    });
    if (allowed) {
      const delivery: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.deliver(link, id, channel, identifier, code))
        .finally(() => deliveries.delete(delivery));
      deliveries.add(delivery);
    }
    return { sent: true, channel, cooldownSeconds: Math.ceil(L.resendCooldownMs / 1000), expiresInSeconds: Math.round(L.codeTtlMs / 1000) };
  }

  /** Hands the code to the transport; a failure is logged and marks the challenge (verify then answers delivery_failed). */
  private async deliver(link: ShareLinkRow, challengeId: string, channel: ViewerChannel, identifier: string, code: string) {
    const transport = this.transports[channel];
    try {
      const ws = await this.db.selectFrom('workspaces').select(['id', 'name']).where('id', '=', link.workspace_id).executeTakeFirstOrThrow();
      await transport.send({ channel, to: identifier, code, linkName: link.name, workspaceId: ws.id, workspaceName: ws.name, expiresMinutes: Math.round(this.limits.codeTtlMs / 60_000) });
    } catch (err) {
      const retryable = !(err instanceof TransportError) || err.retryable;
      log.error('code delivery failed', (err as Error).message, { channel, transport: transport.name, linkId: link.id });
      // Nothing was sent: the code can never be right, a resend needs no cooldown, and the caps do not count it.
      await this.db
        .updateTable('otp_challenges')
        .set({ delivery_failed: retryable ? 'retryable' : 'permanent' })
        .where('id', '=', challengeId)
        .execute()
        .catch((e: unknown) => log.error('could not record the failed delivery', e));
    }
  }

  /**
   * Checks a code; on success passes the gate with the identifier marked verified. One transaction writes the try (a
   * wrong code) or the code's single use and everything passing the gate writes (a right one): one commit either way.
   */
  async verifyCode(slug: string, channel: ViewerChannel, raw: string, code: string, ip: string): Promise<OpenedView> {
    const { link, doc } = await this.activeLinkAndDocument(slug);
    const identifier = await this.identify(link, channel, raw);
    if (link.verify_otp !== 1) throw new ApiError(400, 'no_code_needed', 'This link does not use codes; open it with your address alone.');
    const L = this.limits;
    // Every check counts against the client's address, whichever identifier and link it tries.
    await this.guard.checkFrom(ip);
    await this.guard.assertNotCoolingDown(link);
    const now = this.now();
    await this.guard.assertNotLocked(this.db, link, identifier, identifierAllowed(link, identifier), now);
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
    if (challenge.delivery_failed !== null) {
      const retryable = challenge.delivery_failed === 'retryable';
      throw new ApiError(503, 'delivery_failed', retryable ? 'We could not send your code. Please ask for a new one.' : 'We could not send a code to this address. Check it, or use another one.', { retryable });
    }
    if (challenge.expires_at <= now) throw new ApiError(400, 'code_expired', 'This code has expired. Send a new one.');
    // The link's failure budget is taken before the answer (given back when the code was right), so guesses arriving
    // at once cannot get past it. Outside the transaction: on PostgreSQL it is a statement on a pooled connection.
    await this.guard.reserveLinkFailure(link, now);
    const given = Buffer.from(this.codeHmac(link.id, identifier, /^\d{6}$/.test(code.trim()) ? code.trim() : 'x'));
    const expected = Buffer.from(challenge.code_hmac);
    const right = challenge.suppressed === 0 && given.length === expected.length && timingSafeEqual(given, expected);
    let outcome: { right: true; opened: Passed } | { right: false; attempts: number | null; used: boolean };
    try {
      outcome = await this.db.transaction().execute(async (trx) => {
        // A code is only answered within its tries: the try is taken (a wrong code) or the code used (a right one,
        // whose try is not a failure) by one conditional update, so concurrent guesses get at most maxWrongTries.
        if (!right) {
          const tried = await trx
            .updateTable('otp_challenges')
            .set({ attempts: sql<number>`attempts + 1` })
            .where('id', '=', challenge.id)
            .where('attempts', '<', L.maxWrongTries)
            .where('consumed_at', 'is', null)
            .returning('attempts')
            .executeTakeFirst();
          return { right: false as const, attempts: tried?.attempts ?? null, used: false };
        }
        // Single use: only the request that sets consumed_at wins.
        const used = await trx
          .updateTable('otp_challenges')
          .set({ consumed_at: now })
          .where('id', '=', challenge.id)
          .where('attempts', '<', L.maxWrongTries)
          .where('consumed_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!used) {
          const row = await trx.selectFrom('otp_challenges').select('consumed_at').where('id', '=', challenge.id).executeTakeFirstOrThrow();
          return { right: false as const, attempts: null, used: row.consumed_at !== null };
        }
        return { right: true as const, opened: await this.passIn(trx, link, doc, { channel, identifier, verified: true }, now) };
      });
    } catch (err) {
      await this.guard.giveBackLinkFailure(link);
      throw err;
    }
    if (outcome.right) {
      await this.guard.giveBackLinkFailure(link);
      return this.opened(link, doc, outcome.opened, now);
    }
    if (outcome.attempts === null) {
      // Not compared: no failure of the link.
      await this.guard.giveBackLinkFailure(link);
      if (outcome.used) throw new ApiError(400, 'code_used', 'This code was already used. Send a new one.');
      throw new ApiError(400, 'code_dead', 'Too many wrong tries for this code. Send a new one.', { triesLeft: 0 });
    }
    await this.guard.linkFailed(link, now);
    const triesLeft = Math.max(0, L.maxWrongTries - outcome.attempts);
    throw triesLeft === 0
      ? new ApiError(400, 'code_dead', 'Wrong code, and no tries left for it. Send a new one.', { triesLeft: 0 })
      : new ApiError(400, 'code_wrong', `Wrong code, ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`, { triesLeft });
  }

  /** Opens a link without a code: ungated links, or gated links with verification off (identifier alone). */
  async open(slug: string, who: { channel?: ViewerChannel; identifier?: string }, ip: string): Promise<OpenedView> {
    const { link, doc } = await this.activeLinkAndDocument(slug);
    // Each open starts a view (and may create a contact): bounded per client address and per link.
    await this.guard.openFrom(ip, link);
    if (link.require === 'none') return this.pass(link, doc, null);
    if (link.verify_otp === 1) throw new ApiError(400, 'code_required', 'This link needs a code; send one first.');
    if (!who.channel || !who.identifier) throw new ApiError(422, 'invalid_field', 'Enter your email address or WhatsApp number.', { field: 'identifier' });
    const identifier = await this.identify(link, who.channel, who.identifier);
    if (!identifierAllowed(link, identifier)) throw new ApiError(403, 'access_denied', 'This address may not open this link. Ask the person who shared it.');
    return this.pass(link, doc, { channel: who.channel, identifier, verified: false });
  }

  /**
   * The viewer passed: find the workspace contact by normalized email / E.164 phone or create one (source
   * share-link), mark the identifier verified when a code was checked, link the contact to the share link, start a
   * view, add an activity and an audit entry, bump the contact's access counters and last interaction, and hand out a
   * viewer token.
   */
  private async pass(link: ShareLinkRow, doc: SharedDocument, who: Viewer | null): Promise<OpenedView> {
    const now = this.now();
    const passed = await this.db.transaction().execute((trx) => this.passIn(trx, link, doc, who, now));
    return this.opened(link, doc, passed, now);
  }

  /** What passing the gate writes, in the caller's transaction. */
  private async passIn(trx: Db, link: ShareLinkRow, doc: SharedDocument, who: Viewer | null, now: number): Promise<Passed> {
    const viewId = newId('lv_');
    const tokenId = newId('vt_');
    let contactId: string | null = null;
    let created = false;
    let version = 0;
    if (who) {
      ({ id: contactId, created } = await findOrCreateViewer(trx, link.workspace_id, who, now));
      await trx
        .insertInto('share_link_contacts')
        .values({ workspace_id: link.workspace_id, link_id: link.id, contact_id: contactId, channel: who.channel, identifier: who.identifier, first_at: now, last_at: now, view_count: 1 })
        .onConflict((oc) => oc.columns(['link_id', 'contact_id']).doUpdateSet({ last_at: now, view_count: sql<number>`share_link_contacts.view_count + 1`, channel: who.channel, identifier: who.identifier }))
        .execute();
      // A view is an interaction on the viewer's channel (unless a later one was recorded already).
      ({ version } = await trx
        .updateTable('contacts')
        .set({
          last_accessed_at: now,
          access_count: sql<number>`access_count + 1`,
          last_interaction_at: engineOf(trx).text.greatest(sql`coalesce(last_interaction_at, ${now})`, sql`${now}`),
          last_channel: sql<string>`CASE WHEN coalesce(last_interaction_at, ${now}) <= ${now} THEN ${who.channel} ELSE last_channel END`,
          version: nextVersion,
        })
        .where('id', '=', contactId)
        .returning('version')
        .executeTakeFirstOrThrow());
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
        changes: {},
        context: { link: { id: link.id, name: link.name, slug: link.slug }, document: { id: doc.id, name: doc.name }, channel: who.channel, identifier: who.identifier, verified: who.verified, viewId },
        at: now,
      });
    }
    await trx.insertInto('link_views').values({ id: viewId, workspace_id: link.workspace_id, link_id: link.id, contact_id: contactId, token_id: tokenId, channel: who?.channel ?? null, started_at: now, duration_ms: 0, pages_seen: '[]', downloaded: 0, updated_at: now }).execute();
    return { viewId, tokenId, contactId, created, version };
  }

  /** Once passing is committed: announce the viewer's contact and hand out the viewer token. */
  private async opened(link: ShareLinkRow, doc: SharedDocument, { viewId, tokenId, contactId, created, version }: Passed, now: number): Promise<OpenedView> {
    // A viewer who passed the gate is a contact: new, or seen again (last accessed, access count).
    if (contactId) this.deps.events?.publish({ type: created ? 'contact.created' : 'contact.updated', workspaceId: link.workspace_id, contacts: [{ id: contactId, version }], ...(created ? {} : { fields: ['lastAccessedAt', 'accessCount'] }) });
    const expiresAt = Math.min(now + this.limits.viewerTokenMs, link.expires_at ?? Number.MAX_SAFE_INTEGER);
    const claims: ViewerClaims = { kind: 'share-viewer', lnk: link.id, vid: viewId, sub: contactId, gv: link.gate_version, jti: tokenId, exp: Math.floor(expiresAt / 1000) };
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
    // Issued under other rules (gate, allow / deny list, expiry, disabled since): pass the gate again.
    if ((claims.gv ?? 1) !== link.gate_version) throw new ApiError(401, 'viewer_token_revoked', 'The access rules of this link changed. Open the link again.');
    return { link, claims };
  }

  /**
   * Records what the viewer page reports: duration (the longest report wins), pages seen (union), downloaded. A
   * report that changes a gated view (one with a viewer contact) announces it: share_link.view_updated, in the same
   * transaction.
   */
  async report(viewId: string, input: { durationMs?: number; pages?: number[]; downloaded?: boolean }) {
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('link_views').selectAll().where('id', '=', viewId).executeTakeFirst();
      if (!row) return;
      // A duration can't exceed the time since the view started (plus a little clock skew).
      const cap = now - row.started_at + 60_000;
      const duration = Math.max(row.duration_ms, Math.min(cap, Math.max(0, Math.round(input.durationMs ?? 0))));
      const before = JSON.parse(row.pages_seen) as number[];
      const pages = [...new Set([...before, ...(input.pages ?? [])])].filter((p) => Number.isInteger(p) && p > 0 && p < 100_000).sort((a, b) => a - b).slice(0, 5000);
      const downloaded = row.downloaded === 1 || input.downloaded === true;
      if (duration === row.duration_ms && pages.length === before.length && downloaded === (row.downloaded === 1)) return;
      await trx
        .updateTable('link_views')
        .set({ duration_ms: duration, pages_seen: JSON.stringify(pages), downloaded: downloaded ? 1 : 0, updated_at: now })
        .where('id', '=', viewId)
        .execute();
      const contactId = row.contact_id;
      if (!contactId) return;
      await enqueueWebhook(trx, row.workspace_id, 'share_link.view_updated', async () => {
        const link = await trx
          .selectFrom('share_links as l')
          .innerJoin('documents as d', 'd.id', 'l.document_id')
          .select(['l.id', 'l.name', 'l.slug', 'd.id as documentId', 'd.name as documentName'])
          .where('l.id', '=', row.link_id)
          .executeTakeFirstOrThrow();
        const viewer = await trx
          .selectFrom('share_link_contacts')
          .select(['channel', 'identifier'])
          .where('link_id', '=', row.link_id)
          .where('contact_id', '=', contactId)
          .executeTakeFirst();
        return viewUpdatedEvent(
          {
            viewId,
            contactId,
            startedAt: row.started_at,
            pages,
            durationMs: duration,
            downloaded,
            link: { id: link.id, name: link.name, slug: link.slug },
            document: { id: link.documentId, name: link.documentName },
            viewer: viewer ?? null,
          },
          now,
        );
      });
    });
  }
}

/** Every gate request reads its link: built and compiled once. */
const linkAndDocument = compiledOnce(['slug'], (db, p) =>
  db
    .selectFrom('share_links')
    .innerJoin('documents', 'documents.id', 'share_links.document_id')
    .innerJoin('contacts', 'contacts.id', 'documents.contact_id')
    .selectAll('share_links')
    .select(['documents.name as doc_name', 'documents.kind as doc_kind', 'documents.media_type as doc_media_type', 'documents.size as doc_size'])
    .where('share_links.slug', '=', p.slug)
    .where('documents.deleted_at', 'is', null)
    .where('contacts.deleted_at', 'is', null),
);

/** Finds the viewer's contact in the workspace (live, not merged) by email or phone, else creates it. */
async function findOrCreateViewer(trx: Db, workspaceId: string, who: { channel: ViewerChannel; identifier: string; verified: boolean }, now: number): Promise<{ id: string; created: boolean }> {
  // Viewers (and messages) with the same address arriving at once find one contact (see message-contacts.ts).
  await engineOf(trx).locks.hold(trx, [`contact:${workspaceId}:${who.identifier}`]);
  const table = who.channel === 'email' ? 'contact_emails' : 'contact_phones';
  // The address's few contacts, the oldest picked here: with ORDER BY and LIMIT in the query, SQLite walked every
  // contact of the workspace in creation order looking for the address.
  const matches = await trx
    .selectFrom('contacts')
    .select(['contacts.id', 'contacts.created_at'])
    .where('contacts.id', 'in', trx.selectFrom(table).select('contact_id').where('workspace_id', '=', workspaceId).where('value', '=', who.identifier))
    .where('contacts.workspace_id', '=', workspaceId)
    .where('contacts.deleted_at', 'is', null)
    .where('contacts.merged_into_id', 'is', null)
    .execute();
  const found = matches.reduce<(typeof matches)[number] | undefined>((a, b) => (!a || b.created_at < a.created_at || (b.created_at === a.created_at && b.id < a.id) ? b : a), undefined);
  if (found) {
    if (who.verified) {
      await trx.updateTable(table).set({ verified_at: now }).where('contact_id', '=', found.id).where('value', '=', who.identifier).where('verified_at', 'is', null).execute();
    }
    return { id: found.id, created: false };
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
  return { id, created: true };
}
