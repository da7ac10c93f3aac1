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
  /** The first row's cursor, for `before` (the page above). */
  prevCursor: string | null;
  count: number | null;
  estimated: boolean;
}
/** A saved filter as the drawer's AND-list: `{ and: [...] }`, or one condition on its own (e.g. the shipped Viewers view). */
export const conditionsOf = (filter: ViewDefinition['filter']): Condition[] => (!filter ? [] : 'and' in filter ? filter.and : [filter]);

export interface ViewDefinition {
  q?: string;
  filter?: { and: Condition[] } | Condition;
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

/** A shift-click range [from, to) fetched by position; `shown` once it took a while. */
export interface RangeJob {
  from: number;
  to: number;
  on: boolean;
  done: number;
  ctrl: AbortController;
  shown?: boolean;
  error?: string;
  tooMany?: boolean;
}

export interface Column {
  key: string;
  label: string;
  /** The server sort field, when the column sorts. */
  sort?: string;
  /** Preferred width in px: what the column takes when the table has room (or the width the user set). */
  width: number;
  /**
   * Narrowest width in px the column shrinks to when the table is narrower than the preferred widths (long values
   * ellipsize); below the sum of these the grid scrolls sideways. A column the user resized keeps its width.
   */
  min: number;
  /** A file custom field: its value is document ids, shown as "2 files". */
  files?: boolean;
}

/**
 * The columns a table shows until the host or a saved view says otherwise. Their minimum widths (plus the check
 * box and row menu columns, 80 px) add up to about 940 px, so they fit side by side with a record panel at 1440 px.
 */
export const DEFAULT_COLUMNS = ['name', 'email', 'phone', 'tags', 'owner', 'createdAt', 'lastInteractionAt'];
const BUILTIN: [key: string, min: number, width: number, sort?: string][] = [
  ['name', 150, 240, 'name'],
  ['email', 120, 220],
  ['phone', 148, 170],
  // Wide enough for a chip and "+N" at the minimum (tag-fit.ts shows whole chips only).
  ['tags', 110, 180],
  ['owner', 100, 150],
  ['team', 100, 140],
  ['createdAt', 108, 130, 'createdAt'],
  ['lastInteractionAt', 120, 150, 'lastInteractionAt'],
  ['lastChannel', 96, 120],
  ['companyName', 120, 170],
  ['source', 90, 120],
  ['updatedAt', 108, 130, 'updatedAt'],
  // Share-link viewers (docs/api-share.md): when they last opened a link, and how many viewing sessions.
  ['lastAccessedAt', 120, 150, 'lastAccessedAt'],
  ['accessCount', 90, 120, 'accessCount'],
  ['viewerType', 90, 130],
];

/** Every column the table can show: the built-in ones, then one per custom field. */
export function allColumns(fields: CustomFieldJson[], label: (key: string) => string, organization = false): Column[] {
  return [
    ...BUILTIN.map(([key, min, width, sort]) => ({ key, min, width, sort, label: label(key) })),
    // The organization view names each row's workspace (not sortable: the merged list sorts by contact fields).
    ...(organization ? [{ key: 'workspace', min: 120, width: 170, label: label('workspace') }] : []),
    ...fields.map((f) => ({ key: `custom.${f.key}`, label: f.label, min: 100, width: 150, sort: `custom.${f.key}`, files: f.type === 'file' })),
  ];
}

/**
 * Where rows sit for a scroll position. The body is as tall as its rows (scrollTop maps 1:1) until that passes
 * `cap`: browsers stop growing an element at ~33.5M px (Chromium), so a taller result gets a capped body and
 * scrollTop maps proportionally onto the rows. Rows are placed relative to the viewport, so they never drift.
 */
export class ScrollMap {
  /** The body's height in px. */
  readonly height: number;
  /** Virtual px (of the whole row stack) per scroll px: 1 unless capped. */
  private k = 1;

  constructor(readonly count: number, private room: number, private rowHeight: number, cap: number) {
    const total = count * rowHeight;
    this.height = Math.min(total, cap);
    if (total > this.height && this.height > room) this.k = (total - room) / (this.height - room);
  }

  private clamp = (scrollTop: number) => Math.max(0, Math.min(scrollTop, this.height - this.room));

  /** Virtual px at the top of the viewport. */
  offset(scrollTop: number) {
    return this.clamp(scrollTop) * this.k;
  }

  /** Virtual px per scroll px (1 unless capped): what a wheel or scrollbar step is worth in rows. */
  get scale() {
    return this.k;
  }

  /** The scrollTop whose viewport starts at virtual px `v`. */
  scrollFor(v: number) {
    return this.clamp(v / this.k);
  }

  /** A row's top inside the body. */
  top(i: number, scrollTop: number) {
    return Math.round(i * this.rowHeight - this.offset(scrollTop) + this.clamp(scrollTop));
  }

  /** Rows [start, end) in view, with overscan on both sides. */
  range(scrollTop: number, overscan = 8) {
    const v = this.offset(scrollTop);
    const start = Math.max(0, Math.floor(v / this.rowHeight) - overscan);
    const end = Math.min(this.count, Math.ceil((v + this.room) / this.rowHeight) + overscan);
    return { start, end: Math.max(start, end) };
  }

  /** The scrollTop that shows row `i` whole, moving as little as possible from `scrollTop`. */
  reveal(i: number, scrollTop: number) {
    const v = this.offset(scrollTop);
    const top = i * this.rowHeight;
    // Rounded away from the row, so a capped (non-integer) mapping still shows it whole.
    if (top < v) return Math.floor(top / this.k);
    if (top + this.rowHeight > v + this.room) return Math.ceil((top + this.rowHeight - this.room) / this.k);
    return scrollTop;
  }
}

export const primary = (list: { value: string; primary: boolean }[]) => (list.find((x) => x.primary) ?? list[0])?.value ?? '';
