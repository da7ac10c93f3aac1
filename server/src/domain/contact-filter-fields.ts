// The fields a contact filter can use, each a small table of operators → SQL conditions over `contacts`.
// Adding a field is one entry in FIELDS (or registerFilterField from another module); custom fields are
// resolved per workspace as `custom.<key>` by their type.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Engine } from '../db/engine/index.js';
import type { CustomFieldRow } from '../db/schema.js';
import { ApiError } from '../http/errors.js';
import { CONTACT_CHANNELS, INTERACTION_CHANNELS } from './channels.js';
import { DND_CHANNELS } from './contact-input.js';
import { normalizePhone } from './contact-rules.js';

export type Cond = RawBuilder<SqlBool>;

export interface FilterCtx {
  now: number;
  region: string;
  workspaceId: string;
  /** The database engine the query will run on (its spelling of case-insensitive text, JSON…). */
  engine: Engine;
  /** Path of the node being compiled, e.g. `filter.and[2]`, for error details. */
  path: string;
  /** The caller's teams: what "mine" means in the team filter (none for the secret key). */
  myTeams: string[];
}

export type OpImpl = (value: unknown, ctx: FilterCtx) => Cond;
export interface FieldDef {
  ops: Record<string, OpImpl>;
  /** The values the field's operators take, when they are a fixed list (channels): the widget offers them as choices. */
  values?: readonly string[];
}

/** A 400 that points at one node of the filter tree. */
export const invalidFilter = (path: string, message: string) => new ApiError(400, 'invalid_filter', message, { path });

/** Parses an operator's value or answers 400 at `<node>.value`. */
export function valueOf<T>(schema: z.ZodType<T>, value: unknown, ctx: FilterCtx, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidFilter(`${ctx.path}.value`, `Expected ${what}.`);
  return parsed.data;
}

const str = z.string().max(500);
const strList = z.array(str).min(1).max(500);
const num = z.number().finite();
const DAY = 86_400_000;
const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: DAY } as const;
const duration = z.object({ amount: z.number().nonnegative().max(1e6), unit: z.enum(['minutes', 'hours', 'days']) }).strict();

const like = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
export const not = (c: Cond): Cond => sql<SqlBool>`NOT coalesce(${c}, FALSE)`;
const exists = (sub: RawBuilder<unknown>): Cond => sql<SqlBool>`EXISTS (${sub})`;

/** An SQL expression, or one that depends on the engine (JSON access). */
type TextExpr = RawBuilder<unknown> | ((engine: Engine) => RawBuilder<unknown>);

/** is / is_not / contains / starts_with / is_empty / is_not_empty (+ is_any) on one text expression; case-insensitive. */
export function textOps(text: TextExpr): Record<string, OpImpl> {
  const at = (c: FilterCtx) => (typeof text === 'function' ? text(c.engine) : text);
  return {
    is: (v, c) => c.engine.text.equalsCaseless(at(c), valueOf(str, v, c, 'a string')),
    is_not: (v, c) => sql<SqlBool>`(${at(c)} IS NULL OR NOT ${c.engine.text.equalsCaseless(at(c), valueOf(str, v, c, 'a string'))})`,
    is_any: (v, c) => sql<SqlBool>`lower(${at(c)}) IN (${sql.join(valueOf(strList, v, c, 'a list of strings').map((s) => s.toLowerCase()))})`,
    contains: (v, c) => c.engine.text.like(at(c), `%${like(valueOf(str, v, c, 'a string'))}%`),
    starts_with: (v, c) => c.engine.text.like(at(c), `${like(valueOf(str, v, c, 'a string'))}%`),
    is_empty: (_v, c) => sql<SqlBool>`(${at(c)} IS NULL OR ${at(c)} = '')`,
    is_not_empty: (_v, c) => sql<SqlBool>`(${at(c)} IS NOT NULL AND ${at(c)} <> '')`,
  };
}

/** Text ops over a child table with many values per contact (emails, phones): "some value matches". */
function multiTextOps(table: 'contact_emails' | 'contact_phones', normalize: (v: string, c: FilterCtx) => string): Record<string, OpImpl> {
  const some = (cond: RawBuilder<unknown>) =>
    exists(sql`SELECT 1 FROM ${sql.table(table)} x WHERE x.contact_id = contacts.id AND ${cond}`);
  const s = (v: unknown, c: FilterCtx) => normalize(valueOf(str, v, c, 'a string'), c);
  return {
    is: (v, c) => some(sql`x.value = ${s(v, c)}`),
    is_not: (v, c) => not(some(sql`x.value = ${s(v, c)}`)),
    contains: (v, c) => some(c.engine.text.like(sql`x.value`, `%${like(s(v, c))}%`)),
    starts_with: (v, c) => some(c.engine.text.like(sql`x.value`, `${like(s(v, c))}%`)),
    is_empty: () => not(some(sql`TRUE`)),
    is_not_empty: () => some(sql`TRUE`),
  };
}

const emailNorm = (v: string) => v.trim().toLowerCase();
/** Phones are stored E.164: `is` parses the input; partial matches compare digits. */
const phoneNorm = (v: string) => v.replace(/\D/g, '') || v;
const phoneOps = (): Record<string, OpImpl> => ({
  ...multiTextOps('contact_phones', phoneNorm),
  is: (v, c) => {
    const e164 = normalizePhone(valueOf(str, v, c, 'a phone number'), c.region);
    if (!e164) throw invalidFilter(`${c.path}.value`, 'Expected a valid phone number.');
    return exists(sql`SELECT 1 FROM contact_phones x WHERE x.contact_id = contacts.id AND x.value = ${e164}`);
  },
});

/** Accepts ms since epoch or an ISO date / date-time. */
const dateValue = z.union([z.number().int(), z.string().refine((s) => !Number.isNaN(Date.parse(s)))]).transform((v) =>
  typeof v === 'number' ? v : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v),
);

export function numberOps(expr: RawBuilder<unknown>, parse: z.ZodType<number> = num, what = 'a number'): Record<string, OpImpl> {
  const pair = z.tuple([parse, parse]);
  return {
    eq: (v, c) => sql<SqlBool>`${expr} = ${valueOf(parse, v, c, what)}`,
    lt: (v, c) => sql<SqlBool>`${expr} < ${valueOf(parse, v, c, what)}`,
    gt: (v, c) => sql<SqlBool>`${expr} > ${valueOf(parse, v, c, what)}`,
    between: (v, c) => {
      const [a, b] = valueOf(pair, v, c, `[from, to] (${what})`);
      return sql<SqlBool>`${expr} BETWEEN ${Math.min(a, b)} AND ${Math.max(a, b)}`;
    },
    is_empty: () => sql<SqlBool>`${expr} IS NULL`,
    is_not_empty: () => sql<SqlBool>`${expr} IS NOT NULL`,
  };
}

const isDay = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * Number ops with dates as ms or ISO, plus relative ones: in_last_days, older_than / newer_than {amount, unit}.
 * A date without a time ("2026-01-05") is that whole UTC day: `eq` matches any time in it and `between` includes
 * the last day (a timestamp compares as it is).
 */
export function dateOps(expr: RawBuilder<unknown>): Record<string, OpImpl> {
  const ago = (v: unknown, c: FilterCtx) => {
    const d = valueOf(duration, v, c, '{ amount, unit: "minutes" | "hours" | "days" }');
    return c.now - d.amount * UNIT_MS[d.unit];
  };
  const what = 'a date (ms or ISO 8601)';
  const date = dateValue as unknown as z.ZodType<number>;
  return {
    ...numberOps(expr, date, what),
    eq: (v, c) => {
      const at = valueOf(date, v, c, what);
      return isDay(v) ? sql<SqlBool>`(${expr} >= ${at} AND ${expr} < ${at + DAY})` : sql<SqlBool>`${expr} = ${at}`;
    },
    between: (v, c) => {
      const pair = valueOf(z.tuple([date, date]), v, c, `[from, to] (${what})`);
      const [from, to] = pair[0] <= pair[1] ? [0, 1] : [1, 0];
      const end = isDay((v as unknown[])[to]) ? sql`< ${pair[to]! + DAY}` : sql`<= ${pair[to]!}`;
      return sql<SqlBool>`(${expr} >= ${pair[from]!} AND ${expr} ${end})`;
    },
    in_last_days: (v, c) => sql<SqlBool>`${expr} >= ${c.now - valueOf(z.number().nonnegative().max(36500), v, c, 'a number of days') * DAY}`,
    older_than: (v, c) => sql<SqlBool>`${expr} < ${ago(v, c)}`,
    newer_than: (v, c) => sql<SqlBool>`${expr} >= ${ago(v, c)}`,
  };
}

/** has_any / has_all / has_none / is_empty / is_not_empty over a set of names per contact. */
function setOps(matching: (names: RawBuilder<unknown>, c: FilterCtx) => RawBuilder<unknown>, any: RawBuilder<unknown>, what: string): Record<string, OpImpl> {
  const names = (v: unknown, c: FilterCtx) => [...new Set(valueOf(strList, v, c, what).map((s) => s.toLowerCase()))];
  const hasAny = (v: unknown, c: FilterCtx) => exists(matching(sql.join(names(v, c)), c));
  return {
    has_any: hasAny,
    has_all: (v, c) => {
      const list = names(v, c);
      return sql<SqlBool>`(SELECT count(*) FROM (${matching(sql.join(list), c)}) AS matched) = ${list.length}`;
    },
    has_none: (v, c) => not(hasAny(v, c)),
    is_empty: () => not(exists(any)),
    is_not_empty: () => exists(any),
  };
}

const tagOps = () =>
  setOps(
    (names) => sql`SELECT DISTINCT lower(t.name) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = contacts.id AND lower(t.name) IN (${names})`,
    sql`SELECT 1 FROM contact_tags ct WHERE ct.contact_id = contacts.id`,
    'a list of tag names',
  );

/** Member-id fields (owner, follower): is_any / is_none with "unassigned" meaning nobody. */
function memberOps(anyOf: (ids: string[]) => Cond, nobody: Cond): Record<string, OpImpl> {
  const ids = z.array(z.string().max(64)).min(1).max(200);
  const isAny = (v: unknown, c: FilterCtx) => {
    const list = valueOf(ids, v, c, 'a list of member ids (or "unassigned")');
    const members = list.filter((id) => id !== 'unassigned');
    const parts = [...(members.length ? [anyOf(members)] : []), ...(members.length < list.length ? [nobody] : [])];
    return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
  };
  return { is_any: isAny, is_none: (v, c) => not(isAny(v, c)), is_empty: () => nobody, is_not_empty: () => not(nobody) };
}

/** The contact's team: is_any / is_none of team ids, "mine" meaning the caller's teams; is_empty: no team. */
function teamOps(): Record<string, OpImpl> {
  const ids = z.array(z.string().min(1).max(64)).min(1).max(200);
  const nobody = sql<SqlBool>`contacts.team_id IS NULL`;
  const isAny = (v: unknown, c: FilterCtx) => {
    const list = valueOf(ids, v, c, 'a list of team ids (or "mine")');
    const teams = [...new Set(list.flatMap((id) => (id === 'mine' ? c.myTeams : [id])))];
    return teams.length ? sql<SqlBool>`contacts.team_id IN (${sql.join(teams)})` : sql<SqlBool>`1 = 0`;
  };
  return { is_any: isAny, is_none: (v, c) => not(isAny(v, c)), is_empty: () => nobody, is_not_empty: () => not(nobody) };
}

const col = (name: string) => sql.ref(`contacts.${name}`);
const addressPart = (part: string) => (engine: Engine) => engine.json.text('contacts.address', [part]);
const dndChannel = z.enum(['any', ...DND_CHANNELS]);

/** A fixed-list value, in any case ("WhatsApp"). */
const lowerEnum = <T extends string>(values: readonly T[]) => z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(values as [T, ...T[]]));
const channelValue = lowerEnum([...CONTACT_CHANNELS, 'phone']);

function onChannel(channel: string): Cond {
  if (channel === 'phone') return exists(sql`SELECT 1 FROM contact_phones x WHERE x.contact_id = contacts.id`);
  // A whole word of the space-separated list (LIKE reads the same on both engines; channel keys have no % or _).
  return sql<SqlBool>`(' ' || contacts.channels || ' ') LIKE ${`% ${channel} %`}`;
}

/** One of a fixed list of values (a channel): is / is_not / is_any / is_none / is_empty / is_not_empty; others are 400. */
function choiceOps(expr: RawBuilder<unknown>, values: readonly string[]): Record<string, OpImpl> {
  const one = lowerEnum(values);
  const what = `one of ${values.join(', ')}`;
  const some = (v: unknown, c: FilterCtx) => sql<SqlBool>`${expr} IN (${sql.join(valueOf(z.array(one).min(1).max(values.length), v, c, `a list, each ${what}`))})`;
  return {
    is: (v, c) => sql<SqlBool>`${expr} = ${valueOf(one, v, c, what)}`,
    is_not: (v, c) => sql<SqlBool>`(${expr} IS NULL OR ${expr} <> ${valueOf(one, v, c, what)})`,
    is_any: some,
    is_none: (v, c) => not(some(v, c)),
    is_empty: () => sql<SqlBool>`${expr} IS NULL`,
    is_not_empty: () => sql<SqlBool>`${expr} IS NOT NULL`,
  };
}

/** Built-in fields. Keys are what clients send as `field`. */
const FIELDS: Record<string, FieldDef> = {
  firstName: { ops: textOps(col('first_name')) },
  lastName: { ops: textOps(col('last_name')) },
  name: { ops: textOps(col('display_name')) },
  companyName: { ops: textOps(col('company_name')) },
  website: { ops: textOps(col('website')) },
  'address.city': { ops: textOps(addressPart('city')) },
  'address.region': { ops: textOps(addressPart('region')) },
  'address.postalCode': { ops: textOps(addressPart('postalCode')) },
  'address.country': { ops: textOps(addressPart('country')) },
  email: { ops: multiTextOps('contact_emails', emailNorm) },
  phone: { ops: phoneOps() },
  source: { ops: textOps(col('source')) },
  lastChannel: { ops: choiceOps(col('last_channel'), INTERACTION_CHANNELS), values: INTERACTION_CHANNELS },
  createdAt: { ops: dateOps(col('created_at')) },
  updatedAt: { ops: dateOps(col('updated_at')) },
  lastInteractionAt: { ops: dateOps(col('last_interaction_at')) },
  /** The contact's last inbound message (kept from real messages by recordMessage; form submissions do not count). */
  lastIncomingAt: { ops: dateOps(col('last_incoming_at')) },
  /** When the contact's latest conversation opened (its first message); no conversation: empty. */
  conversationOpenedAt: {
    ops: dateOps(sql`(SELECT max(cv.opened_at) FROM conversations cv WHERE cv.workspace_id = contacts.workspace_id AND cv.contact_id = contacts.id)`),
  },
  tags: { ops: tagOps() },
  owner: {
    ops: memberOps((ids) => sql<SqlBool>`contacts.owner_id IN (${sql.join(ids)})`, sql<SqlBool>`contacts.owner_id IS NULL`),
  },
  team: { ops: teamOps() },
  follower: {
    ops: memberOps(
      (ids) => exists(sql`SELECT 1 FROM contact_followers f WHERE f.contact_id = contacts.id AND f.member_id IN (${sql.join(ids)})`),
      not(exists(sql`SELECT 1 FROM contact_followers f WHERE f.contact_id = contacts.id`)),
    ),
  },
  /**
   * On a channel (`contacts.channels`, migration 012): email with an address, SMS and calls with a phone number, any
   * channel the contact wrote, called or viewed through. "phone" (has a phone number) stays for saved filters.
   */
  channel: {
    ops: {
      has: (v, c) => onChannel(valueOf(channelValue, v, c, `one of ${CONTACT_CHANNELS.join(', ')}`)),
      lacks: (v, c) => not(onChannel(valueOf(channelValue, v, c, `one of ${CONTACT_CHANNELS.join(', ')}`))),
    },
    values: CONTACT_CHANNELS,
  },
  /** Do-not-disturb: `on`/`off` for one channel or "any". */
  dnd: {
    ops: {
      on: (v, c) => exists(dndRows(valueOf(dndChannel, v, c, `"any" or one of ${DND_CHANNELS.join(', ')}`))),
      off: (v, c) => not(exists(dndRows(valueOf(dndChannel, v, c, `"any" or one of ${DND_CHANNELS.join(', ')}`)))),
    },
  },
};


function dndRows(channel: string) {
  return channel === 'any'
    ? sql`SELECT 1 FROM contact_dnd d WHERE d.contact_id = contacts.id`
    : sql`SELECT 1 FROM contact_dnd d WHERE d.contact_id = contacts.id AND d.channel = ${channel}`;
}

/** Lets another module (share links, documents) add a filter field without touching the compiler. */
export function registerFilterField(name: string, def: FieldDef): void {
  FIELDS[name] = def;
}

/** A custom field's stored copy as a scalar subquery (NULL when the contact has no value). */
export const customValue = (fieldId: string, column: 'value_text' | 'value_num') =>
  sql`(SELECT v.${sql.raw(column)} FROM contact_field_values v WHERE v.contact_id = contacts.id AND v.field_id = ${fieldId})`;

function customFieldDef(field: CustomFieldRow): FieldDef {
  switch (field.type) {
    case 'text':
    case 'url':
    case 'select':
      return { ops: textOps(customValue(field.id, 'value_text')) };
    case 'number':
      return { ops: numberOps(customValue(field.id, 'value_num')) };
    case 'date':
      return { ops: dateOps(customValue(field.id, 'value_num')) };
    case 'checkbox': {
      const v = customValue(field.id, 'value_num');
      return {
        ops: {
          is: (value, c) => sql<SqlBool>`coalesce(${v}, 0) = ${valueOf(z.boolean(), value, c, 'true or false') ? 1 : 0}`,
          is_empty: () => sql<SqlBool>`${v} IS NULL`,
          is_not_empty: () => sql<SqlBool>`${v} IS NOT NULL`,
        },
      };
    }
    case 'file': {
      // A file field has a value row exactly while it holds files.
      const held = exists(sql`SELECT 1 FROM contact_field_values v WHERE v.contact_id = contacts.id AND v.field_id = ${field.id}`);
      return { ops: { is_empty: () => not(held), is_not_empty: () => held } };
    }
    case 'multi_select':
      return {
        ops: setOps(
          (names, c) => sql`SELECT DISTINCT lower(j.value) FROM contact_field_values v, ${c.engine.json.eachText('v.value_json', 'j')}
            WHERE v.contact_id = contacts.id AND v.field_id = ${field.id} AND lower(j.value) IN (${names})`,
          sql`SELECT 1 FROM contact_field_values v WHERE v.contact_id = contacts.id AND v.field_id = ${field.id}`,
          'a list of options',
        ),
      };
  }
}

/** Resolves `field` (built-in or `custom.<key>`) or answers 400 at `<node>.field`. */
export function resolveField(name: string, customFields: Map<string, CustomFieldRow>, path: string): FieldDef {
  if (name.startsWith('custom.')) {
    const field = customFields.get(name.slice('custom.'.length));
    if (field) return customFieldDef(field);
  } else if (Object.hasOwn(FIELDS, name)) {
    return FIELDS[name]!;
  }
  throw invalidFilter(`${path}.field`, `Unknown filter field "${name}".`);
}

/** Every filter field with its operators, for a widget's filter builder (custom fields as `custom.<key>`). */
export function describeFilterFields(customFields: Iterable<CustomFieldRow>): { field: string; ops: string[]; values?: string[]; label?: string; type?: string }[] {
  return [
    ...Object.entries(FIELDS).map(([field, def]) => ({ field, ops: Object.keys(def.ops), ...(def.values && { values: [...def.values] }) })),
    ...[...customFields].map((f) => ({ field: `custom.${f.key}`, label: f.label, type: f.type, ops: Object.keys(customFieldDef(f).ops) })),
  ];
}
