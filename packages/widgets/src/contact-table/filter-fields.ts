// The filter catalogue (loaded with the drawer and the chips): every field the query API filters on, the value
// widget each takes, and the operators to offer — only those the server lists for the field (GET
// /contacts/table-schema), in the order below, so the drawer never builds a condition the server refuses.
import { addMessages } from '../../../core/src/i18n.js';
import type { CustomFieldJson } from '../../../core/src/types.js';

export type Kind = 'text' | 'contact' | 'date' | 'tags' | 'member' | 'team' | 'channel' | 'choice' | 'dnd' | 'number' | 'checkbox' | 'select' | 'multi' | 'viewer' | 'viewed' | 'file';

/** The operators each kind of field may offer, in menu order (the server's catalogue decides which of them). */
export const OPS: Record<Kind, string[]> = {
  text: ['contains', 'is', 'is_not', 'is_any', 'starts_with', 'is_empty', 'is_not_empty'],
  contact: ['contains', 'is', 'is_not', 'starts_with', 'is_empty', 'is_not_empty'],
  date: ['in_last_days', 'older_than', 'newer_than', 'gt', 'lt', 'eq', 'between', 'is_empty', 'is_not_empty'],
  tags: ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty'],
  multi: ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty'],
  member: ['is_any', 'is_none', 'is_empty', 'is_not_empty'],
  team: ['is_any', 'is_none', 'is_empty', 'is_not_empty'],
  channel: ['has', 'lacks'],
  /** One of a fixed list (last interacted channel). */
  choice: ['is', 'is_not', 'is_any', 'is_none', 'is_empty', 'is_not_empty'],
  dnd: ['on', 'off'],
  number: ['eq', 'lt', 'gt', 'between', 'is_empty', 'is_not_empty'],
  checkbox: ['is', 'is_empty', 'is_not_empty'],
  select: ['is', 'is_not', 'is_any', 'is_empty', 'is_not_empty'],
  /** Share-link viewers: how they passed the gate (email / WhatsApp / either). */
  viewer: ['is', 'is_not'],
  /** Viewed a share link / a document: any at all, or these ids. */
  viewed: ['is_not_empty', 'is_empty', 'is_any', 'is_none'],
  /** A file custom field: holds files or not. */
  file: ['is_not_empty', 'is_empty'],
};

export interface FilterField {
  field: string;
  label: string;
  kind: Kind;
  /** The operators to offer: the kind's, less those the server does not list for this field. */
  ops: string[];
  /** Choices for select kinds: custom select options, or the server's values (channels). */
  options?: string[];
}

/** A field as GET /contacts/table-schema lists it. */
export interface ServerField {
  field: string;
  ops: string[];
  values?: string[];
}

addMessages('en', {
  // Channels only the drawer and chips name (the rest are in messages.ts, for the Last channel cells).
  'channel.gmb': 'Google Business',
  'channel.phone': 'Phone number',
  'table.field.firstName': 'First name',
  'table.field.lastName': 'Last name',
  'table.field.website': 'Website',
  'table.field.address.line1': 'Address',
  'table.field.address.line2': 'Address line 2',
  'table.field.address.city': 'City',
  'table.field.address.region': 'State / region',
  'table.field.address.postalCode': 'Postal code',
  'table.field.address.country': 'Country',
  'table.field.lastIncomingAt': 'Time since last incoming message',
  'table.field.conversationOpenedAt': 'Conversation opened time',
  'table.field.lastChannel': 'Last interacted channel',
  'table.field.follower': 'Follower',
  'table.field.channel': 'Channel',
  'table.field.dnd': 'Do not disturb',
  'table.field.viewerType': 'Viewer type',
  'table.field.shareLink': 'Share link viewed',
  'table.field.document': 'Document viewed',
  'table.field.emails': 'Email',
  'table.field.phones': 'Phone',
  'table.field.followerIds': 'Followers',
  'table.field.ownerId': 'Owner',
  'table.field.teamId': 'Team',
  'table.field.row': 'Row',
  'filter.viewer.any': 'Any viewer',
  'filter.viewer.email': 'Email viewer',
  'filter.viewer.whatsapp': 'WhatsApp viewer',
  'filter.title': 'Filters',
  'filter.add': 'Add filter',
  'filter.clear': 'Clear',
  'filter.field': 'Field',
  'filter.op': 'Condition',
  'filter.value': 'Value',
  'filter.to': 'and',
  'filter.remove': 'Remove this filter',
  'filter.none': 'No filters: every contact is shown. Filters apply as you change them and all must match.',
  'filter.saveView': 'Save as view',
  'filter.any': 'Any channel',
  'filter.myTeams': 'My teams',
  'filter.commaHint': 'Separate several with commas',
  'op.is': 'is', 'op.is_not': 'is not', 'op.is_any': 'is any of', 'op.contains': 'contains', 'op.starts_with': 'starts with',
  'op.is_empty': 'is empty', 'op.is_not_empty': 'is not empty', 'op.eq': 'is on', 'op.lt': 'is before', 'op.gt': 'is after',
  'op.between': 'is between', 'op.in_last_days': 'in the last N days', 'op.older_than': 'more than … ago', 'op.newer_than': 'less than … ago',
  'op.has_any': 'has any of', 'op.has_all': 'has all of', 'op.has_none': 'has none of', 'op.is_none': 'is none of',
  'op.has': 'has', 'op.lacks': 'lacks', 'op.on': 'is on for', 'op.off': 'is off for',
  // Where a kind reads differently: numbers compare, "viewed" fields are any / none.
  'op.number.eq': 'equals', 'op.number.lt': 'is less than', 'op.number.gt': 'is more than',
  'op.viewed.is_not_empty': 'any', 'op.viewed.is_empty': 'none',
  'op.team.is_empty': 'is no team', 'op.team.is_not_empty': 'is any team',
  'unit.minutes': 'minutes', 'unit.hours': 'hours', 'unit.days': 'days',
});

const BUILTIN: [string, Kind][] = [
  ['name', 'text'], ['firstName', 'text'], ['lastName', 'text'], ['email', 'contact'], ['phone', 'contact'], ['companyName', 'text'],
  ['owner', 'member'], ['follower', 'member'], ['team', 'team'], ['tags', 'tags'], ['createdAt', 'date'], ['updatedAt', 'date'], ['lastInteractionAt', 'date'], ['conversationOpenedAt', 'date'],
  ['lastIncomingAt', 'date'], ['lastChannel', 'choice'], ['channel', 'channel'], ['dnd', 'dnd'], ['source', 'text'], ['website', 'text'],
  ['address.city', 'text'], ['address.region', 'text'], ['address.postalCode', 'text'], ['address.country', 'text'],
  ['viewerType', 'viewer'], ['lastAccessedAt', 'date'], ['accessCount', 'number'], ['shareLink', 'viewed'], ['document', 'viewed'],
];

const CUSTOM_KIND: Record<CustomFieldJson['type'], Kind> = { text: 'text', url: 'text', number: 'number', date: 'date', select: 'select', multi_select: 'multi', checkbox: 'checkbox', file: 'file' };

/** The kind of a field (built-in or `custom.<key>`), or undefined for one the widget does not know. */
export function kindOf(field: string, fields: CustomFieldJson[]): Kind | undefined {
  if (field.startsWith('custom.')) {
    const f = fields.find((x) => `custom.${x.key}` === field);
    return f && CUSTOM_KIND[f.type];
  }
  return BUILTIN.find(([name]) => name === field)?.[1];
}

/**
 * The fields to offer. With the server's catalogue (`server`), each field offers only the operators the server
 * lists for it and takes its choices from the server's values; fields the server does not know are left out.
 */
export function catalogue(fields: CustomFieldJson[], label: (field: string) => string, server?: ServerField[]): FilterField[] {
  const all: FilterField[] = [
    ...BUILTIN.map(([field, kind]) => ({ field, kind, label: label(field), ops: OPS[kind] })),
    ...fields.map((f) => ({ field: `custom.${f.key}`, label: f.label, kind: CUSTOM_KIND[f.type], ops: OPS[CUSTOM_KIND[f.type]], options: f.options ?? undefined })),
  ];
  if (!server) return all;
  const known = new Map(server.map((s) => [s.field, s]));
  return all.flatMap((f) => {
    const s = known.get(f.field);
    const ops = s ? f.ops.filter((op) => s.ops.includes(op)) : [];
    return ops.length ? [{ ...f, ops, ...(s!.values && { options: s!.values }) }] : [];
  });
}

/** A starting value for an operator, so a condition is valid as soon as it is added where possible. */
export function defaultValue(kind: Kind, op: string, options?: string[]): unknown {
  if (op === 'is_empty' || op === 'is_not_empty') return undefined;
  if (op === 'in_last_days') return 7;
  if (op === 'older_than' || op === 'newer_than') return { amount: 1, unit: 'days' };
  if (op === 'between') return ['', ''];
  if (kind === 'channel' || (kind === 'choice' && (op === 'is' || op === 'is_not'))) return options?.[0] ?? '';
  if (kind === 'dnd' || kind === 'viewer') return 'any';
  if (kind === 'checkbox') return true;
  if (kind === 'member') return ['unassigned'];
  if (kind === 'team') return ['mine'];
  if (kind === 'tags' || kind === 'multi' || op === 'is_any' || op === 'is_none') return [];
  return '';
}

/** Whether a condition has what the server needs (incomplete ones stay in the drawer, not in the query). */
export function complete(value: unknown, op: string): boolean {
  if (op === 'is_empty' || op === 'is_not_empty') return true;
  if (value == null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => v !== '' && v != null);
  return true;
}
