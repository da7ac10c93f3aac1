// Shapes the table works with (API JSON, query state) and the column catalogue.
import type { ContactJson, CustomFieldJson } from '../../../core/src/types.js';

export interface Condition {
  field: string;
  op: string;
  value?: unknown;
}
export interface Sort {
  field: string;
  dir: 'asc' | 'desc';
}
export interface Page {
  items: ContactJson[];
  nextCursor: string | null;
  count: number | null;
  estimated: boolean;
}
export interface ViewDefinition {
  q?: string;
  filter?: { and: Condition[] };
  columns: string[];
  widths?: Record<string, number>;
  sort?: Sort;
}
export interface SavedView {
  id: string;
  name: string;
  scope: 'personal' | 'workspace';
  ownerMemberId: string | null;
  definition: ViewDefinition;
}
export interface BulkJob {
  id: string;
  kind: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  failed: number;
  errors: { id?: string; row?: number; field?: string; message: string }[];
  summary?: Record<string, number> | null;
}

export interface Column {
  key: string;
  label: string;
  /** The server sort field, when the column sorts. */
  sort?: string;
  width: number;
}

export const DEFAULT_COLUMNS = ['name', 'email', 'phone', 'tags', 'owner', 'createdAt', 'lastInteractionAt', 'lastChannel'];
const BUILTIN: [key: string, width: number, sort?: string][] = [
  ['name', 240, 'name'],
  ['email', 220],
  ['phone', 170],
  ['tags', 180],
  ['owner', 150],
  ['createdAt', 130, 'createdAt'],
  ['lastInteractionAt', 150, 'lastInteractionAt'],
  ['lastChannel', 120],
  ['companyName', 170],
  ['source', 120],
  ['updatedAt', 130, 'updatedAt'],
  // Share-link viewers (docs/api-share.md): when they last opened a link, and how many viewing sessions.
  ['lastAccessedAt', 150, 'lastAccessedAt'],
  ['accessCount', 120, 'accessCount'],
];

/** Every column the table can show: the built-in ones, then one per custom field. */
export function allColumns(fields: CustomFieldJson[], label: (key: string) => string): Column[] {
  return [
    ...BUILTIN.map(([key, width, sort]) => ({ key, width, sort, label: label(key) })),
    ...fields.map((f) => ({ key: `custom.${f.key}`, label: f.label, width: 150, sort: `custom.${f.key}` })),
  ];
}

/** Rows [start, end) to render for a scroll position, with overscan on both sides. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 8) {
  const first = Math.floor(scrollTop / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

export const primary = (list: { value: string; primary: boolean }[]) => (list.find((x) => x.primary) ?? list[0])?.value ?? '';
