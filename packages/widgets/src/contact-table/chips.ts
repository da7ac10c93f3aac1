// Readable labels for filter conditions ("Tags has any of vip", "Channel has WhatsApp", "Share link viewed: any"),
// loaded with the drawer or when a table first shows filter chips: field names, operators and values the way the
// drawer names them, never the keys the API takes.
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { formatDate, formatDay } from '../../../core/src/format.js';
import { addMessages, getLocale, plural, t } from '../../../core/src/i18n.js';
import type { CustomFieldJson, MemberJson, TeamJson } from '../../../core/src/types.js';
import { kindOf, type Kind, type ServerField } from './filter-fields.js';
import type { Condition } from './model.js';

addMessages('en', {
  'chip.viewed': '{field}: {op}',
  'chip.in_last_days.one': '{field} in the last day',
  'chip.in_last_days.other': '{field} in the last {count} days',
  'chip.older_than': '{field} more than {ago}',
  'chip.newer_than': '{field} less than {ago}',
});

/** What value labels need: the workspace's fields, members, teams and (for "viewed" ids) share links. */
export interface LabelContext {
  fields: CustomFieldJson[];
  members: MemberJson[];
  teams?: TeamJson[];
  links?: ShareLinkOption[];
}

export interface ShareLinkOption {
  id: string;
  name: string;
  documentId: string;
}

const loaded = new WeakMap<DossierClient, Map<string, Promise<unknown>>>();
/** One request per client for what the drawer and the chips both need; a failure is asked again next time. */
function once<T>(client: DossierClient, key: string, load: () => Promise<T>): Promise<T> {
  const cache = loaded.get(client) ?? new Map<string, Promise<unknown>>();
  loaded.set(client, cache);
  let pending = cache.get(key) as Promise<T> | undefined;
  if (!pending) {
    cache.set(key, (pending = load()));
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/** The server's filter catalogue (GET /contacts/table-schema): the operators and values each field takes. */
export const filterSchemaOf = (client: DossierClient): Promise<ServerField[]> =>
  once(client, 'schema', async () => (await unwrap(client.api.api.v1.contacts['table-schema'].$get())).filterFields);

/** Share links the member can see, for "viewed" pickers and chips (members without share_links.manage get none). */
export const shareLinksOf = (client: DossierClient): Promise<ShareLinkOption[]> =>
  once(client, 'links', async () => {
    if (!(await client.can('share_links.manage'))) return [];
    return (await unwrap(client.api.api.v1['share-links'].$get({ query: {} }))).items.map((l) => ({ id: l.id, name: l.name, documentId: l.documentId }));
  });

/** A message, or the fallback key's when this one is not in the catalogue. */
const tOr = (key: string, fallback: string) => (t(key) === key ? t(fallback) : t(key));

export function fieldLabel(field: string, fields: CustomFieldJson[]): string {
  if (field.startsWith('custom.')) return fields.find((f) => `custom.${f.key}` === field)?.label ?? field.slice(7);
  const key = `table.field.${field}`;
  const label = t(key);
  if (label !== key) return label;
  const col = t(`table.col.${field}`);
  return col.startsWith('table.') ? field : col;
}

/** An operator as the drawer and the chips name it for this kind of field ("equals" for numbers, "is on" for dates). */
export const opLabel = (kind: Kind | undefined, op: string) => tOr(`op.${kind}.${op}`, `op.${op}`);

/** A date as typed in the drawer ("2026-01-05", a whole UTC day) or ms, in the reader's format. */
const dateText = (v: unknown) => (typeof v === 'number' ? formatDate(v) : formatDay(String(v)));

/** One value of a condition, labelled: a member's or team's name, a channel, Yes / No, a date… */
export function valueLabel(field: string, kind: Kind | undefined, v: unknown, ctx: LabelContext): string {
  switch (kind) {
    case 'member':
      return v === 'unassigned' ? t('table.unassigned') : (ctx.members.find((m) => m.id === v)?.name ?? String(v));
    case 'team':
      return v === 'mine' ? t('filter.myTeams') : (ctx.teams?.find((x) => x.id === v)?.name ?? String(v));
    case 'channel':
    case 'choice':
    case 'dnd':
      return v === 'any' ? t('filter.any') : tOr(`channel.${String(v)}`, String(v));
    case 'viewer':
      return t(`filter.viewer.${String(v)}`);
    case 'checkbox':
      return t(v ? 'value.yes' : 'value.no');
    case 'date':
      return dateText(v);
    case 'number':
      return typeof v === 'number' ? new Intl.NumberFormat(getLocale()).format(v) : String(v);
    case 'viewed':
      if (field === 'shareLink') return ctx.links?.find((l) => l.id === v)?.name ?? String(v);
      return ctx.links?.find((l) => l.documentId === v)?.name ?? String(v);
    default:
      return String(v);
  }
}

/** The chip for one condition. */
export function chipLabel(c: Condition, ctx: LabelContext): string {
  const kind = kindOf(c.field, ctx.fields);
  const field = fieldLabel(c.field, ctx.fields);
  const v = c.value;
  if (kind === 'viewed' && (c.op === 'is_empty' || c.op === 'is_not_empty')) return t('chip.viewed', { field, op: opLabel(kind, c.op) });
  if (c.op === 'in_last_days') return plural('chip.in_last_days', Number(v), { field });
  if ((c.op === 'older_than' || c.op === 'newer_than') && v && typeof v === 'object') {
    const { amount, unit } = v as { amount: number; unit: 'minutes' | 'hours' | 'days' };
    const ago = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'always' }).format(-amount, unit.slice(0, -1) as Intl.RelativeTimeFormatUnit);
    return t(`chip.${c.op}`, { field, ago });
  }
  const values = v == null ? [] : Array.isArray(v) ? v : [v];
  const text = values.map((x) => valueLabel(c.field, kind, x, ctx)).join(c.op === 'between' ? ' – ' : ', ');
  return [field, opLabel(kind, c.op), text].filter(Boolean).join(' ');
}

/**
 * A field path of an API error or import report (`emails[0].value`, `customFields.plan`, `address.city`) as the
 * person knows the field: "Email", "Plan", "City" ("Email 2" for a second one).
 */
export function fieldPathLabel(path: string, fields: CustomFieldJson[]): string {
  const custom = /^custom(?:Fields)?\.([^.[]+)/.exec(path);
  if (custom) return fields.find((f) => f.key === custom[1])?.label ?? custom[1]!;
  const list = /^(emails|phones|tags|followerIds)(?:\[(\d+)\])?/.exec(path);
  if (list) return `${fieldLabel(list[1]!, fields)}${Number(list[2] ?? 0) > 0 ? ` ${Number(list[2]) + 1}` : ''}`;
  return fieldLabel(path, fields);
}
