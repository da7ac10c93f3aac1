import { expect } from '@open-wc/testing';
import { ScrollMap } from './model.js';

// 40 px rows in a 400 px viewport (10 rows).
const ROW = 40;
const ROOM = 400;

describe('ScrollMap', () => {
  it('maps scroll px 1:1 while the rows fit under the cap', () => {
    const map = new ScrollMap(1000, ROOM, ROW, 1_000_000);
    expect(map.height).to.equal(40_000);
    expect(map.scale).to.equal(1);
    expect(map.offset(1200)).to.equal(1200);
    expect(map.scrollFor(1200)).to.equal(1200);
    // Row 30's top sits at its place in the body, whatever the scroll position.
    expect(map.top(30, 1200)).to.equal(1200);
    expect(map.top(30, 0)).to.equal(1200);
  });

  it('gives the rows in view with overscan, clamped to the result', () => {
    const map = new ScrollMap(1000, ROOM, ROW, 1_000_000);
    expect(map.range(0)).to.deep.equal({ start: 0, end: 18 });
    expect(map.range(4000)).to.deep.equal({ start: 92, end: 118 });
    expect(map.range(4000, 0)).to.deep.equal({ start: 100, end: 110 });
    // Scrolled past the end (a stale scrollTop after the result shrank): the last rows.
    expect(map.range(1e9, 0)).to.deep.equal({ start: 990, end: 1000 });
    expect(new ScrollMap(0, ROOM, ROW, 1_000_000).range(0)).to.deep.equal({ start: 0, end: 0 });
  });

  it('caps the body of a huge result and maps scroll px proportionally, first and last rows reachable', () => {
    const count = 1_000_000;
    const map = new ScrollMap(count, ROOM, ROW, 33_000_000);
    expect(map.height).to.equal(33_000_000);
    expect(map.scale).to.be.greaterThan(1);
    const bottom = map.height - ROOM;
    expect(map.range(0, 0).start).to.equal(0);
    expect(map.range(bottom, 0).end).to.equal(count);
    // The last row is drawn inside the body, its bottom at the body's bottom.
    expect(map.top(count - 1, bottom) + ROW).to.equal(map.height);
    // scrollFor is offset's inverse.
    expect(map.offset(map.scrollFor(12_345_678))).to.be.closeTo(12_345_678, 1e-6);
  });

  it('reveals a row by moving as little as possible, and not at all when it is whole in view', () => {
    const map = new ScrollMap(1000, ROOM, ROW, 1_000_000);
    expect(map.reveal(5, 0)).to.equal(0);
    // Below the view: its bottom comes to the viewport's bottom.
    expect(map.reveal(20, 0)).to.equal(20 * ROW + ROW - ROOM);
    // Above the view: its top comes to the viewport's top.
    expect(map.reveal(3, 2000)).to.equal(3 * ROW);
    // Row 9 is whole in view at 20 px; row 10, cut off at the bottom, is not.
    expect(map.reveal(9, 20)).to.equal(20);
    expect(map.reveal(10, 20)).to.equal(10 * ROW + ROW - ROOM);
  });

  it('reveals whole rows in a capped mapping too (rounded away from the row)', () => {
    const map = new ScrollMap(1_000_000, ROOM, ROW, 33_000_000);
    for (const row of [1, 499_999, 999_999]) {
      const scrollTop = map.reveal(row, 0);
      const top = map.top(row, scrollTop) - scrollTop;
      expect(top, `row ${row}`).to.be.at.least(0);
      expect(top + ROW, `row ${row}`).to.be.at.most(ROOM);
    }
  });
});
