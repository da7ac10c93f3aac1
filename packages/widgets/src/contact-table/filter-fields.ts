// The filter catalogue: every field the query API filters on, with the operators its type allows.
import { addMessages } from '../../../core/src/i18n.js';
import type { CustomFieldJson } from '../../../core/src/types.js';

export type Kind = 'text' | 'contact' | 'date' | 'tags' | 'member' | 'channel' | 'dnd' | 'number' | 'checkbox' | 'select' | 'multi' | 'viewer' | 'viewed' | 'file';

export const OPS: Record<Kind, string[]> = {
  text: ['contains', 'is', 'is_not', 'is_any', 'starts_with', 'is_empty', 'is_not_empty'],
  contact: ['contains', 'is', 'is_not', 'starts_with', 'is_empty', 'is_not_empty'],
  date: ['in_last_days', 'older_than', 'newer_than', 'gt', 'lt', 'eq', 'between', 'is_empty', 'is_not_empty'],
  tags: ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty'],
  multi: ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty'],
  member: ['is_any', 'is_none', 'is_empty', 'is_not_empty'],
  channel: ['has', 'lacks'],
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
  options?: string[];
}

addMessages('en', {
  'table.field.firstName': 'First name',
  'table.field.lastName': 'Last name',
  'table.field.website': 'Website',
  'table.field.address.city': 'City',
  'table.field.address.region': 'State / region',
  'table.field.address.postalCode': 'Postal code',
  'table.field.address.country': 'Country',
  'table.field.lastIncomingAt': 'Time since last incoming message',
  'table.field.follower': 'Follower',
  'table.field.channel': 'Channel',
  'table.field.dnd': 'Do not disturb',
  'table.field.viewerType': 'Viewer type',
  'table.field.lastAccessedAt': 'Last accessed',
  'table.field.accessCount': 'Access count',
  'table.field.shareLink': 'Share link viewed',
  'table.field.document': 'Document viewed',
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
  'filter.commaHint': 'Separate several with commas',
  'op.is': 'is', 'op.is_not': 'is not', 'op.is_any': 'is any of', 'op.contains': 'contains', 'op.starts_with': 'starts with',
  'op.is_empty': 'is empty', 'op.is_not_empty': 'is not empty', 'op.eq': 'is on', 'op.lt': 'is before', 'op.gt': 'is after',
  'op.between': 'is between', 'op.in_last_days': 'in the last N days', 'op.older_than': 'more than … ago', 'op.newer_than': 'less than … ago',
  'op.has_any': 'has any of', 'op.has_all': 'has all of', 'op.has_none': 'has none of', 'op.is_none': 'is none of',
  'op.has': 'has', 'op.lacks': 'lacks', 'op.on': 'is on for', 'op.off': 'is off for',
  'unit.minutes': 'minutes', 'unit.hours': 'hours', 'unit.days': 'days',
});

const BUILTIN: [string, Kind][] = [
  ['name', 'text'], ['firstName', 'text'], ['lastName', 'text'], ['email', 'contact'], ['phone', 'contact'], ['companyName', 'text'],
  ['owner', 'member'], ['follower', 'member'], ['tags', 'tags'], ['createdAt', 'date'], ['updatedAt', 'date'], ['lastInteractionAt', 'date'],
  ['lastIncomingAt', 'date'], ['lastChannel', 'text'], ['channel', 'channel'], ['dnd', 'dnd'], ['source', 'text'], ['website', 'text'],
  ['address.city', 'text'], ['address.region', 'text'], ['address.postalCode', 'text'], ['address.country', 'text'],
  ['viewerType', 'viewer'], ['lastAccessedAt', 'date'], ['accessCount', 'number'], ['shareLink', 'viewed'], ['document', 'viewed'],
];

const CUSTOM_KIND: Record<CustomFieldJson['type'], Kind> = { text: 'text', url: 'text', number: 'number', date: 'date', select: 'select', multi_select: 'multi', checkbox: 'checkbox', file: 'file' };

export function catalogue(fields: CustomFieldJson[], label: (field: string) => string): FilterField[] {
  return [
    ...BUILTIN.map(([field, kind]) => ({ field, kind, label: label(field) })),
    ...fields.map((f) => ({ field: `custom.${f.key}`, label: f.label, kind: CUSTOM_KIND[f.type], options: f.options ?? undefined })),
  ];
}

/** A starting value for an operator, so a condition is valid as soon as it is added where possible. */
export function defaultValue(kind: Kind, op: string): unknown {
  if (op === 'is_empty' || op === 'is_not_empty') return undefined;
  if (op === 'in_last_days') return 7;
  if (op === 'older_than' || op === 'newer_than') return { amount: 1, unit: 'days' };
  if (op === 'between') return ['', ''];
  if (kind === 'channel') return 'email';
  if (kind === 'dnd' || kind === 'viewer') return 'any';
  if (kind === 'checkbox') return true;
  if (kind === 'member') return ['unassigned'];
  if (kind === 'tags' || kind === 'multi' || op === 'is_any') return [];
  return '';
}

/** Whether a condition has what the server needs (incomplete ones stay in the drawer, not in the query). */
export function complete(value: unknown, op: string): boolean {
  if (op === 'is_empty' || op === 'is_not_empty') return true;
  if (value == null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => v !== '' && v != null);
  return true;
}
