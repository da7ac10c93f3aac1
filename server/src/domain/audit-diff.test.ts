import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdChanges, diff } from './audit-diff.js';

describe('createdChanges', () => {
  it('is diff(null, after) for JSON objects, key order included', () => {
    const objects: Record<string, unknown>[] = [
      {},
      { id: 'ct_1', firstName: 'Ada', lastName: null, emails: [], tags: ['a'], customFields: {}, dnd: { sms: false }, zero: 0, no: false, empty: '' },
      { customFields: { seats: 3, vip: false, none: null, list: [] }, address: { city: 'London' }, dnd: { sms: true, call: false }, version: 1 },
      { customFields: null, dnd: [], nested: { a: { b: null } } },
    ];
    for (const after of objects) {
      for (const ignore of [[], ['id', 'dnd', 'version']]) {
        assert.equal(JSON.stringify(createdChanges(after, ignore)), JSON.stringify(diff(null, after, ignore)));
      }
    }
  });
});
