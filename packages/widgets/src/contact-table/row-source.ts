// The rows behind the virtual scroller: pages fetched one after another by keyset cursor as the user
// scrolls towards them. A new query aborts the old one (stale responses never land).
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { Condition, Page, Sort } from './model.js';

export interface TableQuery {
  q: string;
  filter: Condition[];
  sort: Sort;
  deleted: boolean;
}

export const queryBody = (query: TableQuery) => ({
  ...(query.q.trim() && { q: query.q.trim() }),
  ...(query.filter.length && { filter: { and: query.filter } }),
  sort: query.sort,
  deleted: query.deleted,
});

export class RowSource {
  rows: ContactJson[] = [];
  count: number | null = null;
  estimated = false;
  /** True once the last page arrived. */
  complete = false;
  loading = false;
  error: Error | null = null;
  private cursor: string | null = null;
  private controller = new AbortController();
  private want = 0;

  constructor(
    private client: DossierClient,
    readonly query: TableQuery,
    private onChange: () => void,
    private pageSize = 100,
  ) {}

  /** Rows the scrollbar should cover: the count when known, else what is loaded plus one more page. */
  get length(): number {
    if (this.complete) return this.rows.length;
    if (this.count !== null) return Math.max(this.count, this.rows.length);
    return this.rows.length + (this.loading || !this.complete ? 1 : 0);
  }

  abort() {
    this.controller.abort();
  }

  /** Makes sure rows up to `index` are (being) loaded. */
  ensure(index: number) {
    this.want = Math.max(this.want, index);
    if (!this.loading) void this.pump();
  }

  retry() {
    this.error = null;
    void this.pump();
  }

  private async pump() {
    const signal = this.controller.signal;
    this.loading = true;
    try {
      while (!this.complete && !signal.aborted && !this.error && (this.rows.length === 0 || this.rows.length <= this.want)) {
        // Far jumps fetch bigger pages so dragging the scrollbar to the end does not take 1,000 requests.
        const limit = this.want - this.rows.length > this.pageSize * 2 ? 200 : this.pageSize;
        const body = { ...queryBody(this.query), limit, ...(this.cursor && { cursor: this.cursor }) };
        const page = (await unwrap(this.client.api.api.v1.contacts.query.$post({ json: body as never }, { init: { signal } }))) as unknown as Page;
        if (signal.aborted) return;
        if (!this.cursor) {
          this.count = page.count;
          this.estimated = page.estimated;
        }
        this.rows = this.rows.concat(page.items);
        this.cursor = page.nextCursor;
        this.complete = !page.nextCursor;
        if (this.complete) {
          this.count = this.rows.length;
          this.estimated = false;
        }
        this.onChange();
      }
    } catch (err) {
      if (signal.aborted || (err as Error).name === 'AbortError') return;
      this.error = err as Error;
    } finally {
      if (!signal.aborted) {
        this.loading = false;
        this.onChange();
      }
    }
  }

  /** Drops rows by id (after delete / merge) without a refetch. */
  remove(ids: Set<string>) {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !ids.has(r.id));
    if (this.count !== null) this.count -= before - this.rows.length;
    this.onChange();
  }
}
