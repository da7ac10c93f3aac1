// Realistic fake contacts, fast enough for a million: values come from pools drawn once from faker, rows go in
// as bulk inserts (engine.bulk: prepared statements on SQLite, multi-row INSERTs on PostgreSQL) in large
// transactions, with per-row index upkeep paused.
import { faker } from '@faker-js/faker';
import type { OpenedDb } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { newId } from '../ids.js';
import { upsertMember } from '../domain/workspaces.js';
import { displayName } from '../domain/contact-rules.js';

const TAGS = ['vip', 'lead', 'customer', 'newsletter', 'partner', 'churn-risk', 'trial', 'enterprise', 'smb', 'event-2026', 'webinar', 'referral'];
const CHANNELS = ['email', 'sms', 'whatsapp', 'call', 'facebook', 'instagram', 'webchat'];
const SOURCES = ['website', 'facebook-ads', 'google-ads', 'referral', 'import', 'whatsapp', 'event', 'api'];
const UTM_SOURCES = ['google', 'facebook', 'linkedin', 'newsletter', 'twitter', 'bing'];
const EMAIL_LABELS = ['work', 'personal', 'billing', null];
const PHONE_LABELS = ['mobile', 'work', 'home', 'landline'];
const AREA_CODES = ['212', '213', '303', '305', '312', '404', '415', '503', '512', '617', '646', '702', '206', '718', '818', '917'];
const INDUSTRIES = ['SaaS', 'Retail', 'Healthcare', 'Finance', 'Education', 'Real estate', 'Manufacturing', 'Hospitality'];
const INTERESTS = ['Product updates', 'Events', 'Pricing', 'Partnerships', 'Hiring'];

export const SEED_FIELDS = [
  { key: 'industry', label: 'Industry', type: 'select', options: INDUSTRIES },
  { key: 'lifetime_value', label: 'Lifetime value', type: 'number', options: null },
  { key: 'birthday', label: 'Birthday', type: 'date', options: null },
  { key: 'newsletter', label: 'Newsletter opt-in', type: 'checkbox', options: null },
  { key: 'linkedin', label: 'LinkedIn', type: 'url', options: null },
  { key: 'notes', label: 'Notes', type: 'text', options: null },
  { key: 'interests', label: 'Interests', type: 'multi_select', options: INTERESTS },
  // Filled by uploads in the record (its files land in the contact's "Custom fields" folder), not by the seed.
  { key: 'signed_contract', label: 'Signed contract', type: 'file', options: null },
] as const;

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const chance = (p: number) => Math.random() < p;
const int = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

function usPhone(): string {
  // Exchange 200–999 but not N11 or 555, so libphonenumber accepts it as a real number shape.
  let exchange = int(200, 999);
  while (exchange % 100 === 11 || exchange === 555) exchange = int(200, 999);
  return `+1${pick(AREA_CODES)}${exchange}${String(int(0, 9999)).padStart(4, '0')}`;
}

export interface SeedOptions {
  now: number;
  /** Called every 10,000 contacts with the count so far. */
  onProgress?: (done: number) => void;
  seed?: number;
}

/** Ensures the demo members and custom fields exist and inserts `count` contacts. Returns the member ids used as owners. */
export async function seedContacts({ db, engine }: OpenedDb, workspaceId: string, count: number, opts: SeedOptions) {
  if (opts.seed !== undefined) faker.seed(opts.seed);
  const now = opts.now;
  const wsRegion = (await db.selectFrom('workspaces').select('default_region').where('id', '=', workspaceId).executeTakeFirst())?.default_region ?? 'US';
  const ownerIds: string[] = [];
  for (const [i, m] of [
    { name: 'Olivia Owner', role: 'owner' as const },
    { name: 'Max Manager', role: 'manager' as const },
    { name: 'Ada Agent', role: 'agent' as const },
    { name: 'Sam Support', role: 'agent' as const },
  ].entries()) {
    const email = `${m.name.split(' ')[0]!.toLowerCase()}@dossier.example`;
    ownerIds.push(await upsertMember(db, workspaceId, { externalId: `seed-${i}`, name: m.name, email, role: m.role }, now));
  }

  const fieldIds = new Map<string, string>();
  for (const [position, f] of SEED_FIELDS.entries()) {
    const existing = await db.selectFrom('custom_fields').select('id').where('workspace_id', '=', workspaceId).where('key', '=', f.key).executeTakeFirst();
    if (existing) {
      fieldIds.set(f.key, existing.id);
      continue;
    }
    const id = newId('cf_');
    await db
      .insertInto('custom_fields')
      .values({ id, workspace_id: workspaceId, key: f.key, label: f.label, type: f.type, options: f.options ? JSON.stringify(f.options) : null, position, created_at: now, updated_at: now })
      .execute();
    fieldIds.set(f.key, id);
  }

  const tagIds = new Map<string, string>();
  for (const name of TAGS) {
    const existing = await db.selectFrom('tags').select('id').where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
    const id = existing?.id ?? newId('tg_');
    if (!existing) await db.insertInto('tags').values({ id, workspace_id: workspaceId, name, created_at: now }).execute();
    tagIds.set(name, id);
  }

  const firstNames = Array.from({ length: 3000 }, () => faker.person.firstName());
  const lastNames = Array.from({ length: 3000 }, () => faker.person.lastName());
  const companies = Array.from({ length: 2000 }, () => faker.company.name());
  const cities = Array.from({ length: 500 }, () => [faker.location.city(), faker.location.state({ abbreviated: true }), faker.location.zipCode('#####')] as const);
  const streets = Array.from({ length: 2000 }, () => faker.location.streetAddress());
  const domains = Array.from({ length: 400 }, () => faker.internet.domainName());
  const sentences = Array.from({ length: 300 }, () => faker.lorem.sentence());

  type Rows = Record<string, unknown>[];
  const batch = { contacts: [] as Rows, contact_emails: [] as Rows, contact_phones: [] as Rows, contact_tags: [] as Rows, contact_followers: [] as Rows, contact_field_values: [] as Rows, contact_dnd: [] as Rows };
  const insertContact = (...v: unknown[]) => {
    const keys = ['id', 'workspace_id', 'first_name', 'last_name', 'display_name', 'company_name', 'address', 'website', 'owner_id', 'source',
      'attribution_first', 'attribution_latest', 'last_interaction_at', 'last_channel', 'last_incoming_at', 'created_at', 'updated_at'];
    batch.contacts.push(Object.fromEntries(keys.map((k, i) => [k, v[i] ?? null])));
  };
  const insertEmail = (id: string, ws: string, contact: string, value: string, label: string | null, primary: number, position: number) =>
    batch.contact_emails.push({ id, workspace_id: ws, contact_id: contact, value, label, is_primary: primary, position });
  const insertPhone = (id: string, ws: string, contact: string, value: string, label: string | null, primary: number, position: number) =>
    batch.contact_phones.push({ id, workspace_id: ws, contact_id: contact, value, label, is_primary: primary, position });
  const insertTag = (ws: string, contact: string, tag: string | undefined) => batch.contact_tags.push({ workspace_id: ws, contact_id: contact, tag_id: tag });
  const insertFollower = (ws: string, contact: string, member: string) => batch.contact_followers.push({ workspace_id: ws, contact_id: contact, member_id: member });
  const insertValue = (ws: string, contact: string, field: string | undefined, json: string, text: string | null, num: number | null) =>
    batch.contact_field_values.push({ workspace_id: ws, contact_id: contact, field_id: field, value_json: json, value_text: text, value_num: num });
  const insertDnd = (ws: string, contact: string, channel: string, since: number) => batch.contact_dnd.push({ workspace_id: ws, contact_id: contact, channel, since });

  const year = 365 * 86_400_000;
  // Contacts are created over three years in insertion order, as in a real workspace: rowids, time-ordered ids
  // and created-at all rise together (so the default sort reads the table in storage order).
  const start = now - 3 * year;
  const one = (i: number) => {
    const createdAt = start + Math.floor(((i + Math.random()) * 3 * year) / count);
    const id = newId('ct_', createdAt);
    const first = pick(firstNames);
    const last = pick(lastNames);
    const named = chance(0.96);
    const emailCount = chance(0.9) ? int(1, 3) : 0;
    const emails = Array.from({ length: emailCount }, (_, k) =>
      `${first}.${last}${k ? k + 1 : ''}${i % 97}@${pick(domains)}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
    );
    const phoneCount = chance(0.8) ? int(1, 2) : 0;
    const phones = [...new Set(Array.from({ length: phoneCount }, usPhone))];
    const display = displayName(named ? first : null, named ? last : null, phones[0], emails[0], wsRegion);
    const [city, region, postal] = pick(cities);
    const address = chance(0.6) ? JSON.stringify({ line1: pick(streets), city, region, postalCode: postal, country: 'United States' }) : null;
    const utm = chance(0.5) ? JSON.stringify({ source: pick(UTM_SOURCES), medium: pick(['cpc', 'email', 'social', 'organic']), campaign: `spring-${int(1, 9)}`, at: createdAt }) : null;
    const lastAt = chance(0.85) ? createdAt + Math.floor(Math.random() * (now - createdAt)) : null;
    const company = chance(0.7) ? pick(companies) : null;
    const website = chance(0.3) ? `https://${pick(domains)}/` : null;
    const owner = chance(0.9) ? pick(ownerIds) : null;
    const source = pick(SOURCES);
    const lastChannel = lastAt ? pick(CHANNELS) : null;
    // No last incoming message time: it comes from real messages only (the demo records some). The draw that once
    // faked one stays, so every later random value (and so every seeded workspace) is as before.
    if (lastAt) chance(0.6);
    insertContact(
      id, workspaceId, named ? first : null, named ? last : null, display, company, address,
      website, owner, source, utm, utm,
      lastAt, lastChannel, null, createdAt, lastAt ?? createdAt,
    );
    emails.forEach((e, k) => insertEmail(newId('em_'), workspaceId, id, e, EMAIL_LABELS[k % EMAIL_LABELS.length] ?? null, k === 0 ? 1 : 0, k));
    phones.forEach((p, k) => insertPhone(newId('ph_'), workspaceId, id, p, PHONE_LABELS[k] ?? null, k === 0 ? 1 : 0, k));
    const tagCount = int(0, 3);
    const chosen = new Set(Array.from({ length: tagCount }, () => pick(TAGS)));
    for (const t of chosen) insertTag(workspaceId, id, tagIds.get(t));
    if (chance(0.1)) insertFollower(workspaceId, id, pick(ownerIds));
    if (chance(0.7)) {
      const industry = pick(INDUSTRIES);
      insertValue(workspaceId, id, fieldIds.get('industry'), JSON.stringify(industry), industry, null);
    }
    if (chance(0.5)) {
      const ltv = int(0, 50_000);
      insertValue(workspaceId, id, fieldIds.get('lifetime_value'), String(ltv), null, ltv);
    }
    if (chance(0.3)) {
      const d = new Date(Date.UTC(int(1950, 2004), int(0, 11), int(1, 28))).toISOString().slice(0, 10);
      insertValue(workspaceId, id, fieldIds.get('birthday'), JSON.stringify(d), d, Date.parse(`${d}T00:00:00Z`));
    }
    if (chance(0.5)) {
      const yes = chance(0.5);
      insertValue(workspaceId, id, fieldIds.get('newsletter'), String(yes), null, yes ? 1 : 0);
    }
    if (chance(0.15)) {
      const url = `https://www.linkedin.com/in/${first.toLowerCase()}-${last.toLowerCase()}-${i}`.replace(/[^a-z0-9:/.-]/g, '');
      insertValue(workspaceId, id, fieldIds.get('linkedin'), JSON.stringify(url), url, null);
    }
    if (chance(0.2)) {
      const note = pick(sentences);
      insertValue(workspaceId, id, fieldIds.get('notes'), JSON.stringify(note), note, null);
    }
    if (chance(0.25)) {
      const chosenInterests = [...new Set([pick(INTERESTS), pick(INTERESTS)])];
      insertValue(workspaceId, id, fieldIds.get('interests'), JSON.stringify(chosenInterests), chosenInterests.join('\n'), null);
    }
    if (chance(0.05)) insertDnd(workspaceId, id, pick(['sms', 'call', 'email', 'whatsapp']), now);
  };

  // Per-row search indexing is off during the load; the new contacts are indexed in one pass at the end.
  await engine.bulk.paused(db, async (conn) => {
    for (let from = 0; from < count; from += 10_000) {
      const to = Math.min(count, from + 10_000);
      for (let i = from; i < to; i++) one(i);
      await conn.transaction().execute(async (trx) => {
        for (const [table, rows] of Object.entries(batch) as [keyof Database, Rows][]) await engine.bulk.insert(trx, table, rows.splice(0));
      });
      opts.onProgress?.(to);
    }
  });
  return { ownerIds };
}
