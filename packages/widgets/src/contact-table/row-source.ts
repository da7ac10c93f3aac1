// The rows behind the virtual scroller: only the blocks in view are requested — by keyset from a loaded
// neighbour (the cursor after the block above, or `before` the block below), else by position (`offset`) for a
// jump. The count comes from its own request so the first rows never wait for it. A new query aborts the old one.
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { Condition, Page, Sort } from './model.js';
import { BLOCK, Blocks, type Block } from './row-blocks.js';

/** A jump waits this long for the scrollbar to rest, so a fling does not fire a request per block it passes. */
const SETTLE_MS = 120;
/** Ids per request when a selection range needs rows that are not loaded (the server's maximum with `ids: true`). */
const ID_PAGE = 1000;

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
  /** The number of matches (an estimate while `estimated`), null until known. */
  count: number | null = null;
  estimated = false;
  /** The exact number of rows, once the end of the result arrived. */
  end: number | null = null;
  error: Error | null = null;
  protected blocks = new Blocks();
  /** Rows known to exist: a block with a next cursor proves one more row after it. */
  protected seen = 1;
  private countCtrl = new AbortController();
  private view = [-1, -1];
  private timer?: ReturnType<typeof setTimeout>;
  private dead = false;

  constructor(
    protected client: DossierClient,
    readonly query: TableQuery,
    private onChange: () => void,
  ) {
    void this.loadCount();
  }

  /** True once the end of the result arrived (the length is exact). */
  get complete() {
    return this.end !== null;
  }

  /** Rows the scrollbar covers: exact at the end, else the count (or estimate) or what is known to exist. */
  get length(): number {
    return this.end ?? Math.max(this.count ?? 0, this.seen);
  }

  row(i: number): ContactJson | undefined {
    return this.blocks.row(i);
  }

  /** The block holding row i, for its loading / error state. */
  block(i: number): Block | undefined {
    return this.blocks.get(Math.floor(i / BLOCK));
  }

  /** The rows in memory, in order (not indexable by position once blocks are sparse). */
  get rows(): ContactJson[] {
    return this.blocks.keysInOrder().flatMap((k) => this.blocks.get(k)!.rows ?? []);
  }

  /** Ids of the loaded stretch around the view, for the record's previous / next. */
  idsAround(): { ids: string[]; offset: number } {
    let [a, b] = this.view as [number, number];
    if (!this.blocks.get(a)?.rows) return { ids: [], offset: 0 };
    while (this.blocks.get(a - 1)?.rows) a--;
    while (this.blocks.get(b + 1)?.rows) b++;
    const ids: string[] = [];
    for (let k = a; k <= b; k++) for (const r of this.blocks.get(k)?.rows ?? []) ids.push(r.id);
    return { ids, offset: a * BLOCK };
  }

  abort() {
    this.dead = true;
    clearTimeout(this.timer);
    this.countCtrl.abort();
    for (const k of [...this.blocks.keys()]) this.blocks.get(k)!.ctrl?.abort();
  }

  /** The view shows rows [start, end): load their blocks, abort requests for blocks scrolled away from. */
  want(start: number, end: number) {
    const lo = Math.floor(start / BLOCK);
    const hi = Math.floor(Math.max(start, end - 1) / BLOCK);
    if (lo !== this.view[0] || hi !== this.view[1]) {
      this.view = [lo, hi];
      clearTimeout(this.timer);
      this.timer = undefined;
      for (const [k, b] of this.blocks) if (b.ctrl && (k < lo - 1 || k > hi + 1)) this.blocks.drop(k);
    }
    let far = false;
    for (let k = lo; k <= hi; k++) {
      if (!this.missing(k)) continue;
      // Next to a loaded block, keyset paging is cheap and what plain scrolling needs: go now.
      if (k === 0 || this.blocks.ready(k - 1)?.next || this.blocks.ready(k + 1)?.prev) void this.load(k);
      else far = true;
    }
    if (far && !this.timer && !this.dead) this.timer = setTimeout(() => this.fill(), SETTLE_MS);
  }

  private missing(k: number) {
    const b = this.blocks.get(k);
    return !b || (!b.ctrl && !b.error && (!b.rows || b.stale));
  }

  private fill() {
    const [lo, hi] = this.view as [number, number];
    for (let k = lo; k <= hi; k++) if (this.missing(k)) void this.load(k);
  }

  /** Clears failed blocks and loads what is in view again. */
  retry() {
    this.error = null;
    for (const [k, b] of this.blocks) if (b.error) this.blocks.delete(k);
    this.fill();
    this.onChange();
  }

  /** A page of this query (`ids: true` in `extra`: an ids-only page). */
  protected request<T = Page>(extra: object, signal: AbortSignal): Promise<T> {
    const body = { ...queryBody(this.query), count: false, ...extra };
    return unwrap<unknown>(this.client.api.api.v1.contacts.query.$post({ json: body as never }, { init: { signal } }) as never) as Promise<T>;
  }

  /** Requests block k; the promise settles with the block (rows, error, or neither when aborted), even if evicted since. */
  private load(k: number): Promise<Block> {
    const block = this.blocks.get(k) ?? {};
    return (block.wait = this.fetchBlock(k, block));
  }

  /** Where block k's request starts: after the block above, before the block below, else by position. */
  protected async placeOf(k: number): Promise<object> {
    const above = this.blocks.ready(k - 1);
    const below = this.blocks.ready(k + 1);
    return k === 0 ? {} : above?.next ? { cursor: above.next } : below?.prev ? { before: below.prev } : { offset: k * BLOCK };
  }

  private async fetchBlock(k: number, block: Block): Promise<Block> {
    const ctrl = (block.ctrl = new AbortController());
    block.error = undefined;
    this.blocks.set(k, block);
    try {
      const at = await this.placeOf(k);
      const page = await this.request({ limit: BLOCK, ...at }, ctrl.signal);
      if (ctrl.signal.aborted) return block;
      Object.assign(block, { rows: page.items, next: page.nextCursor, prev: page.prevCursor, ctrl: undefined, stale: false });
      this.error = null;
      // A page read upwards (`before`) says nothing about where the result ends.
      if (!('before' in at)) {
        if (page.nextCursor) this.seen = Math.max(this.seen, k * BLOCK + page.items.length + 1);
        else if (page.items.length || k === 0) this.setEnd(k * BLOCK + page.items.length);
        // Past the end: the estimate was too high; ask for the exact count once.
        else void this.exactCount(block);
      }
    } catch (err) {
      if (ctrl.signal.aborted) return block;
      block.ctrl = undefined;
      block.error = this.error = err as Error;
    }
    this.blocks.evict(this.view[0]!);
    this.onChange();
    return block;
  }

  /**
   * The id at row n of the whole result, null past its end: from memory, else its block is loaded (by keyset next
   * to a loaded block, else by position) — the record's previous / next walk past the rows in view this way.
   */
  readonly idAt = async (n: number): Promise<string | null> => {
    // A request aborted because the view moved away from its block is asked again.
    for (let tries = 0; tries < 3 && !this.dead; tries++) {
      if (n < 0 || (this.end !== null && n >= this.end)) return null;
      const k = Math.floor(n / BLOCK);
      const held = this.blocks.get(k);
      const b = this.blocks.ready(k) ?? (await (held?.ctrl && held.wait ? held.wait : this.load(k)));
      if (b.rows && !b.stale) return b.rows[n % BLOCK]?.id ?? null;
      if (b.error) throw b.error;
    }
    throw new DOMException('The list changed.', 'AbortError');
  };

  /** Ids of rows [from, to) from the server, ids only in pages of up to 1,000 (a selection range past the loaded rows). */
  async idsIn(from: number, to: number, signal: AbortSignal, progress: (done: number) => void): Promise<string[]> {
    const ids: string[] = [];
    let at: object = { offset: from };
    while (ids.length < to - from) {
      const page = await this.request<{ ids: string[]; nextCursor: string | null }>({ ids: true, limit: Math.min(ID_PAGE, to - from - ids.length), ...at }, signal);
      ids.push(...page.ids);
      progress(ids.length);
      if (!page.nextCursor) break;
      at = { cursor: page.nextCursor };
    }
    return ids;
  }

  protected setEnd(n: number) {
    this.end = this.count = n;
    this.estimated = false;
    this.countCtrl.abort();
    for (const k of [...this.blocks.keys()]) if (k > 0 && k * BLOCK >= n) this.blocks.drop(k);
  }

  protected async loadCount() {
    try {
      const body = queryBody(this.query);
      const res = await unwrap(this.client.api.api.v1.contacts.count.$post({ json: body as never }, { init: { signal: this.countCtrl.signal } }));
      if (this.end !== null || this.dead) return;
      this.count = res.count;
      this.estimated = res.estimated;
      this.onChange();
    } catch {
      // No count: the scrollbar grows as blocks arrive.
    }
  }

  private async exactCount(block: Block) {
    const ctrl = (block.ctrl = new AbortController());
    try {
      const page = await this.request({ limit: 1, count: 'exact' }, ctrl.signal);
      block.ctrl = undefined;
      this.setEnd(page.count ?? 0);
    } catch (err) {
      if (ctrl.signal.aborted) return;
      block.ctrl = undefined;
      block.error = this.error = err as Error;
    }
    this.onChange();
  }

  /** Drops rows by id (after delete / merge) without a refetch; blocks below shift and reload. */
  remove(ids: Set<string>) {
    let removed = 0;
    for (const k of this.blocks.keysInOrder()) {
      const b = this.blocks.get(k)!;
      const kept = b.rows?.filter((r) => !ids.has(r.id)) ?? [];
      const n = (b.rows?.length ?? 0) - kept.length;
      if (n) b.rows = kept;
      // Only the last block of the result stays right after losing a row; every block under a removal moved.
      if (removed || (n && b.next !== null)) b.stale = true;
      removed += n;
    }
    if (!removed) return;
    this.seen = Math.max(1, this.seen - removed);
    if (this.count !== null) this.count -= removed;
    if (this.end !== null) this.end -= removed;
    this.onChange();
  }

  /** Puts a fresh copy of a row in place (after a record saved it). */
  replace(row: ContactJson): boolean {
    for (const b of this.blocks.values()) {
      const i = b.rows?.findIndex((r) => r.id === row.id) ?? -1;
      if (i >= 0) {
        b.rows![i] = row;
        return true;
      }
    }
    return false;
  }

  /** The loaded row of a contact, if any. */
  find(id: string): ContactJson | undefined {
    for (const b of this.blocks.values()) {
      const row = b.rows?.find((r) => r.id === id);
      if (row) return row;
    }
    return undefined;
  }

  /** The row index of a loaded contact (rows of stale blocks are off by some places: not counted), or -1. */
  indexOf(id: string): number {
    for (const [k, b] of this.blocks) {
      const i = b.stale ? -1 : (b.rows?.findIndex((r) => r.id === id) ?? -1);
      if (i >= 0) return k * BLOCK + i;
    }
    return -1;
  }

  has(id: string) {
    return [...this.blocks.values()].some((b) => b.rows?.some((r) => r.id === id));
  }
}
