import { expect } from '@open-wc/testing';
import type { ContactJson } from '../../../core/src/types.js';
import { BLOCK, Blocks } from './row-blocks.js';

const rows = (from: number) => Array.from({ length: BLOCK }, (_, i) => ({ id: `ct_${from + i}` }) as ContactJson);

describe('Blocks (the sparse row cache)', () => {
  it('finds a row in its block, and only in a loaded one', () => {
    const blocks = new Blocks();
    blocks.set(3, { rows: rows(300) });
    expect(blocks.row(345)?.id).to.equal('ct_345');
    expect(blocks.row(45)).to.equal(undefined);
    expect(blocks.ready(3)).to.not.equal(undefined);
    expect(blocks.ready(4)).to.equal(undefined);
  });

  it('does not call a stale block (a row above was removed) or one still loading ready', () => {
    const blocks = new Blocks();
    blocks.set(1, { rows: rows(100), stale: true });
    blocks.set(2, { ctrl: new AbortController() });
    expect(blocks.ready(1)).to.equal(undefined);
    expect(blocks.ready(2)).to.equal(undefined);
    // A stale block's rows still show while it reloads.
    expect(blocks.row(150)?.id).to.equal('ct_150');
  });

  it('keeps the blocks nearest the view and aborts the requests of those it drops', () => {
    const blocks = new Blocks();
    const ctrls: AbortController[] = [];
    for (let k = 0; k < 60; k++) {
      const ctrl = new AbortController();
      ctrls.push(ctrl);
      blocks.set(k, k % 2 ? { rows: rows(k * BLOCK) } : { ctrl });
    }
    blocks.evict(50);
    expect(blocks.size).to.equal(40);
    const kept = blocks.keysInOrder();
    expect(kept[0]).to.equal(20);
    expect(kept[kept.length - 1]).to.equal(59);
    expect(ctrls[10]!.signal.aborted).to.equal(true);
    expect(ctrls[30]!.signal.aborted).to.equal(false);
  });

  it('lists block indices in row order whatever order they loaded in', () => {
    const blocks = new Blocks();
    for (const k of [9, 2, 40, 0]) blocks.set(k, {});
    expect(blocks.keysInOrder()).to.deep.equal([0, 2, 9, 40]);
  });
});
