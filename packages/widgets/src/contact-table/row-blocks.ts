// The sparse row cache behind the virtual scroller: blocks of BLOCK rows keyed by block index (row i lives in
// block floor(i / BLOCK)), so showing row 500,000 needs its block, not every page above it.
import type { ContactJson } from '../../../core/src/types.js';

export const BLOCK = 100;
/** Blocks kept in memory (rows far from the view are dropped and load again when scrolled back to). */
const KEEP = 40;

export interface Block {
  rows?: ContactJson[];
  /** Cursor after the last row (null: the result ends here), and of the first row (for `before`). */
  next?: string | null;
  prev?: string | null;
  /** Set while the block is being requested. */
  ctrl?: AbortController;
  /** The last request for the block; settles with the block. */
  wait?: Promise<Block>;
  error?: Error;
  /** A row above was removed since it loaded: its rows are off by some positions until it reloads. */
  stale?: boolean;
}

export class Blocks extends Map<number, Block> {
  /** A loaded block whose rows sit at their positions. */
  ready(k: number): Block | undefined {
    const b = this.get(k);
    return b?.rows && !b.stale ? b : undefined;
  }

  row(i: number): ContactJson | undefined {
    return this.get(Math.floor(i / BLOCK))?.rows?.[i % BLOCK];
  }

  /** Block indices in row order. */
  keysInOrder(): number[] {
    return [...this.keys()].sort((a, b) => a - b);
  }

  drop(k: number) {
    this.get(k)?.ctrl?.abort();
    this.delete(k);
  }

  /** Drops the blocks farthest from block `center` beyond KEEP (selection is by id, so it survives). */
  evict(center: number) {
    if (this.size <= KEEP) return;
    const far = this.keysInOrder().sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
    for (const k of far.slice(0, this.size - KEEP)) this.drop(k);
  }
}
