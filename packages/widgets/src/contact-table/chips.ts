// Short readable labels for active filter chips ("Tags has any vip, lead").
import { t } from '../../../core/src/i18n.js';
import type { CustomFieldJson, MemberJson } from '../../../core/src/types.js';
import type { Condition } from './model.js';

const OPS: Record<string, string> = {
  is: 'is', is_not: 'is not', is_any: 'is any of', contains: 'contains', starts_with: 'starts with', is_empty: 'is empty',
  is_not_empty: 'is not empty', eq: 'on', lt: 'before', gt: 'after', between: 'between', in_last_days: 'in the last',
  older_than: 'more than', newer_than: 'less than', has_any: 'has any of', has_all: 'has all of', has_none: 'has none of',
  is_none: 'is none of', has: 'has', lacks: 'lacks', on: 'on for', off: 'off for',
};

export function fieldLabel(field: string, fields: CustomFieldJson[]): string {
  if (field.startsWith('custom.')) return fields.find((f) => `custom.${f.key}` === field)?.label ?? field.slice(7);
  const key = `table.field.${field}`;
  const label = t(key);
  if (label !== key) return label;
  const col = t(`table.col.${field}`);
  return col.startsWith('table.') ? field : col;
}

function valueText(c: Condition, members: MemberJson[]): string {
  const v = c.value;
  if (v == null) return '';
  if (c.field === 'owner' || c.field === 'follower') {
    return (v as string[]).map((id) => (id === 'unassigned' ? t('table.unassigned') : (members.find((m) => m.id === id)?.name ?? id))).join(', ');
  }
  if (c.op === 'in_last_days') return `${String(v)} days`;
  if (typeof v === 'object' && !Array.isArray(v) && 'amount' in (v as object)) {
    const { amount, unit } = v as { amount: number; unit: string };
    return `${amount} ${unit} ago`;
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? new Date(x).toISOString().slice(0, 10) : String(x))).join(c.op === 'between' ? ' – ' : ', ');
  return String(v);
}

export function chipLabel(c: Condition, fields: CustomFieldJson[], members: MemberJson[]): string {
  return [fieldLabel(c.field, fields), OPS[c.op] ?? c.op, valueText(c, members)].filter(Boolean).join(' ');
}
