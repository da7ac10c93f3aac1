import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from './ids.js';

describe('newId', () => {
  it('is URL-safe, 22 chars after the prefix, and unique', () => {
    const ids = Array.from({ length: 2000 }, () => newId('ct_'));
    for (const id of ids) assert.match(id, /^ct_[0-9A-Za-z]{8}[A-Za-z0-9_-]{14}$/);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('sorts by time in binary (SQLite) order, so inserts append to id indexes', () => {
    const times = [0, 1, 61, 62, Date.UTC(2020, 0, 1), Date.UTC(2026, 10, 21), Date.UTC(2026, 10, 21) + 1];
    const ids = times.map((t) => newId('ct_', t));
    assert.deepEqual([...ids].sort(), ids);
  });
});
