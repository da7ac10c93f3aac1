// Share links of a document (staff side): create, list with view counts, edit, disable, delete — each audited
// on the document's contact. The public gate lives in share-gate.ts.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import type { ShareLinkRow, ShareRequire } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import { diff, writeAudit } from './audit.js';
import { actorOf, visibleTo } from './contacts.js';
import { normalizePhone } from './contact-rules.js';

export const SHARE_REQUIRE = ['none', 'email', 'whatsapp', 'either'] as const;

/** 16 random bytes → 22 URL-safe characters (128 bits): nobody guesses a link. */
export const newSlug = () => randomBytes(16).toString('base64url');

const listEntry = z.string().trim().min(2).max(320);
export const shareLinkInput = z
  .object({
    documentId: z.string().min(1).max(64),
    name: z.string().trim().min(1).max(200).optional(),
    require: z.enum(SHARE_REQUIRE).default('email'),
    verifyOtp: z.boolean().default(true),
    allowDownload: z.boolean().default(false),
    /** ms since the epoch, or null for never. */
    expiresAt: z.number().int().positive().nullable().default(null),
    allowList: z.array(listEntry).max(500).default([]),
    denyList: z.array(listEntry).max(500).default([]),
  })
  .strict();
export const shareLinkPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    require: z.enum(SHARE_REQUIRE).optional(),
    verifyOtp: z.boolean().optional(),
    allowDownload: z.boolean().optional(),
    expiresAt: z.number().int().positive().nullable().optional(),
    allowList: z.array(listEntry).max(500).optional(),
    denyList: z.array(listEntry).max(500).optional(),
    /** true disables the link (viewers get the uniform "not available" page); false enables it again. */
    disabled: z.boolean().optional(),
  })
  .strict();
export type ShareLinkInput = z.output<typeof shareLinkInput>;
export type ShareLinkPatch = z.output<typeof shareLinkPatch>;

export interface ShareLinkJson {
  id: string;
  documentId: string;
  slug: string;
  /** Path of the public page; prefix the server's public origin. */
  path: string;
  url: string;
  name: string;
  require: ShareRequire;
  verifyOtp: boolean;
  allowDownload: boolean;
  expiresAt: number | null;
  disabledAt: number | null;
  allowList: string[];
  denyList: string[];
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  /** Viewing sessions, distinct viewer contacts, and the last session start. */
  views: number;
  viewers: number;
  lastViewedAt: number | null;
  /** 'active' | 'disabled' | 'expired' */
  status: 'active' | 'disabled' | 'expired';
}

export function linkStatus(row: Pick<ShareLinkRow, 'disabled_at' | 'expires_at' | 'deleted_at'>, now: number): ShareLinkJson['status'] {
  if (row.disabled_at !== null || row.deleted_at !== null) return 'disabled';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  return 'active';
}

/**
 * Allow / deny entries: an exact address, an E.164 number ("+44 20…" is normalized) or "@domain" (the domain
 * and its subdomains). Answers 422 naming the bad entry.
 */
export function normalizeList(list: string[], field: string, region: string): string[] {
  const out = new Set<string>();
  list.forEach((raw, i) => {
    const entry = raw.trim().toLowerCase();
    if (/^@[a-z0-9.-]+\.[a-z]{2,}$/.test(entry)) out.add(entry);
    else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(entry)) out.add(entry);
    else {
      const phone = /^[+\d][\d\s().-]{5,}$/.test(entry) ? normalizePhone(entry, region) : null;
      if (!phone) throw invalidField(`${field}[${i}]`, `"${raw}" is not an email address, a phone number or an @domain.`);
      out.add(phone);
    }
  });
  return [...out];
}

/** Whether a normalized identifier matches a list entry (exact, or by @domain including subdomains). */
export function listMatches(list: string[], identifier: string): boolean {
  const domain = identifier.includes('@') ? identifier.slice(identifier.lastIndexOf('@') + 1) : null;
  return list.some((entry) => {
    if (entry === identifier) return true;
    if (domain && entry.startsWith('@')) {
      const d = entry.slice(1);
      return domain === d || domain.endsWith(`.${d}`);
    }
    return false;
  });
}

/** Deny wins; a non-empty allow list admits only what it names. */
export function identifierAllowed(row: Pick<ShareLinkRow, 'allow_list' | 'deny_list'>, identifier: string): boolean {
  const deny = JSON.parse(row.deny_list) as string[];
  if (listMatches(deny, identifier)) return false;
  const allow = JSON.parse(row.allow_list) as string[];
  return allow.length === 0 || listMatches(allow, identifier);
}

export class ShareLinks {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: (requestUrl: string) => string,
  ) {}

  private async document(caller: Caller, id: string) {
    const row = await this.db
      .selectFrom('documents')
      .select(['id', 'name', 'contact_id'])
      .where('id', '=', id)
      .where('workspace_id', '=', caller.workspace.id)
      .where('deleted_at', 'is', null)
      .where('contact_id', 'in', this.db.selectFrom('contacts').select('contacts.id').where(visibleTo(caller)))
      .executeTakeFirst();
    if (!row) throw notFound('Document');
    return row;
  }

  /** A live (not deleted) link whose document the caller may see, or 404. */
  async get(caller: Caller, id: string): Promise<ShareLinkRow> {
    const row = await this.db
      .selectFrom('share_links')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', caller.workspace.id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('Share link');
    await this.document(caller, row.document_id);
    return row;
  }

  async toJson(rows: ShareLinkRow[], requestUrl: string, now: number): Promise<ShareLinkJson[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const stats = await this.db
      .selectFrom('link_views')
      .select((eb) => ['link_id', eb.fn.countAll<number>().as('views'), eb.fn.count<number>('contact_id').distinct().as('viewers'), eb.fn.max<number>('started_at').as('last')])
      .where('link_id', 'in', ids)
      .groupBy('link_id')
      .execute();
    const byLink = new Map(stats.map((s) => [s.link_id, s]));
    const origin = this.publicUrl(requestUrl);
    return rows.map((r) => {
      const s = byLink.get(r.id);
      return {
        id: r.id,
        documentId: r.document_id,
        slug: r.slug,
        path: `/s/${r.slug}`,
        url: `${origin}/s/${r.slug}`,
        name: r.name,
        require: r.require,
        verifyOtp: r.verify_otp === 1,
        allowDownload: r.allow_download === 1,
        expiresAt: r.expires_at,
        disabledAt: r.disabled_at,
        allowList: JSON.parse(r.allow_list) as string[],
        denyList: JSON.parse(r.deny_list) as string[],
        createdBy: r.created_by,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        views: Number(s?.views ?? 0),
        viewers: Number(s?.viewers ?? 0),
        lastViewedAt: s?.last ?? null,
        status: linkStatus(r, now),
      };
    });
  }

  /** One document's links, or (no documentId) every link on documents the caller can see — for table filters. */
  async list(caller: Caller, documentId?: string): Promise<ShareLinkRow[]> {
    if (documentId) await this.document(caller, documentId);
    let query = this.db
      .selectFrom('share_links')
      .selectAll('share_links')
      .where('share_links.workspace_id', '=', caller.workspace.id)
      .where('share_links.deleted_at', 'is', null);
    if (documentId) query = query.where('share_links.document_id', '=', documentId);
    else {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('documents')
            .innerJoin('contacts', 'contacts.id', 'documents.contact_id')
            .select('documents.id')
            .whereRef('documents.id', '=', 'share_links.document_id')
            .where('documents.deleted_at', 'is', null)
            .where((inner) => visibleTo(caller)(inner as never)),
        ),
      );
    }
    return query.orderBy('share_links.created_at', 'desc').orderBy('share_links.id', 'desc').limit(200).execute();
  }

  /** On the document's contact: which link of which document, and what of the link changed. */
  private audit(trx: Db, caller: Caller, doc: { id: string; name: string; contact_id: string }, action: string, before: ShareLinkRow | null, after: ShareLinkRow | null, now: number) {
    const link = (after ?? before)!;
    const changes = before && after ? diff(summary(before), summary(after), ['disabled']) : {};
    const context = { link: { id: link.id, name: link.name, slug: link.slug }, document: { id: doc.id, name: doc.name } };
    return writeAudit(trx, { workspaceId: caller.workspace.id, contactId: doc.contact_id, actor: actorOf(caller), action, changes, context, at: now });
  }

  async create(caller: Caller, input: ShareLinkInput, now: number): Promise<ShareLinkRow> {
    const doc = await this.document(caller, input.documentId);
    const region = caller.workspace.defaultRegion;
    if (input.expiresAt !== null && input.expiresAt <= now) throw invalidField('expiresAt', 'The expiry date is in the past.');
    const row: ShareLinkRow = {
      id: newId('sl_'),
      workspace_id: caller.workspace.id,
      document_id: doc.id,
      slug: newSlug(),
      name: input.name ?? doc.name,
      require: input.require,
      verify_otp: input.require === 'none' ? 0 : input.verifyOtp ? 1 : 0,
      allow_download: input.allowDownload ? 1 : 0,
      expires_at: input.expiresAt,
      disabled_at: null,
      deleted_at: null,
      allow_list: JSON.stringify(normalizeList(input.allowList, 'allowList', region)),
      deny_list: JSON.stringify(normalizeList(input.denyList, 'denyList', region)),
      created_by: caller.kind === 'member' ? caller.member.id : null,
      created_at: now,
      updated_at: now,
      gate_version: 1,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('share_links').values(row).execute();
      await this.audit(trx, caller, doc, 'share_link.created', null, row, now);
    });
    return row;
  }

  async update(caller: Caller, id: string, patch: ShareLinkPatch, now: number): Promise<ShareLinkRow> {
    const before = await this.get(caller, id);
    const doc = await this.document(caller, before.document_id);
    const region = caller.workspace.defaultRegion;
    const after: ShareLinkRow = { ...before, updated_at: now };
    if (patch.name !== undefined) after.name = patch.name;
    if (patch.require !== undefined) after.require = patch.require;
    if (patch.verifyOtp !== undefined) after.verify_otp = patch.verifyOtp ? 1 : 0;
    if (after.require === 'none') after.verify_otp = 0;
    if (patch.allowDownload !== undefined) after.allow_download = patch.allowDownload ? 1 : 0;
    if (patch.expiresAt !== undefined) after.expires_at = patch.expiresAt;
    if (patch.allowList) after.allow_list = JSON.stringify(normalizeList(patch.allowList, 'allowList', region));
    if (patch.denyList) after.deny_list = JSON.stringify(normalizeList(patch.denyList, 'denyList', region));
    if (patch.disabled !== undefined) after.disabled_at = patch.disabled ? before.disabled_at ?? now : null;
    // Who may open it changed: viewer tokens issued before stop working (they carry the version).
    const gate = ['require', 'verify_otp', 'allow_list', 'deny_list', 'expires_at', 'disabled_at'] as const;
    if (gate.some((k) => after[k] !== before[k])) after.gate_version = before.gate_version + 1;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('share_links').set(after).where('id', '=', id).execute();
      const action = patch.disabled === true && before.disabled_at === null ? 'share_link.disabled' : patch.disabled === false && before.disabled_at !== null ? 'share_link.enabled' : 'share_link.updated';
      await this.audit(trx, caller, doc, action, before, after, now);
    });
    return after;
  }

  /** Deleted links keep their rows (views stay countable) but answer "not available" and leave every list. */
  async remove(caller: Caller, id: string, now: number): Promise<ShareLinkRow> {
    const before = await this.get(caller, id);
    const doc = await this.document(caller, before.document_id);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('share_links').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
      await this.audit(trx, caller, doc, 'share_link.deleted', before, null, now);
    });
    return { ...before, deleted_at: now, updated_at: now };
  }
}

function summary(r: ShareLinkRow) {
  return {
    id: r.id,
    name: r.name,
    documentId: r.document_id,
    require: r.require,
    verifyOtp: r.verify_otp === 1,
    allowDownload: r.allow_download === 1,
    expiresAt: r.expires_at,
    disabled: r.disabled_at !== null,
    allowList: JSON.parse(r.allow_list) as string[],
    denyList: JSON.parse(r.deny_list) as string[],
  };
}
