import { expect } from '@open-wc/testing';
import type { ContactJson } from '../../../core/src/types.js';
import { rebasePatch, rebaseRows, rebaseSet } from './rebase.js';

const row = (value: string, primary = false, label: string | null = null) => ({ value, label, primary });

describe('rebase (a save made against a stale contact, made again on the contact as it is now)', () => {
  it('keeps tags added and removed by the user and by someone else', () => {
    // The user saw [enterprise, lead], removed lead and added from-record; meanwhile a bulk job added bulk-added.
    expect(rebaseSet(['enterprise', 'lead'], ['enterprise', 'from-record'], ['bulk-added', 'enterprise', 'lead'], (v) => v.toLowerCase())).to.deep.equal(['bulk-added', 'enterprise', 'from-record']);
    expect(rebaseSet(['a'], ['a', 'B'], ['a', 'b'], (v) => v.toLowerCase()), 'no duplicate by case').to.deep.equal(['a', 'b']);
  });

  it('applies row edits by value, and gives up when a row the user changed is gone', () => {
    const base = [row('a@x', true), row('b@x')];
    const fresh = [row('a@x', true), row('b@x'), row('c@x')];
    expect(rebaseRows(base, [row('a@x', true), row('b@x', false, 'work'), row('d@x')], fresh)).to.deep.equal([row('a@x', true), row('b@x', false, 'work'), row('c@x'), row('d@x')]);
    expect(rebaseRows(base, [row('a@x', true)], fresh), 'a removal of what is gone is fine').to.deep.equal([row('a@x', true), row('c@x')]);
    expect(rebaseRows(base, [row('a@x'), row('b@x', true)], [row('a@x'), row('b@x'), row('c@x', true)]), 'the user’s primary wins').to.deep.equal([row('a@x'), row('b@x', true), row('c@x')]);
    expect(rebaseRows(base, [row('a@x', true), row('b@x', false, 'work')], [row('a@x', true)])).to.equal(null);
  });

  it('rebases every list of a patch and leaves scalars as they are', () => {
    const contact = (over: Partial<ContactJson>) => ({ tags: [], followerIds: [], emails: [], phones: [], customFields: {}, ...over }) as unknown as ContactJson;
    const base = contact({ tags: ['x'], followerIds: ['m1'], customFields: { topics: ['a'] } });
    const fresh = contact({ tags: ['x', 'y'], followerIds: ['m1', 'm2'], customFields: { topics: ['a', 'b'] } });
    expect(rebasePatch({ firstName: 'Z', tags: ['x', 'z'], followerIds: [], customFields: { topics: ['a', 'c'], plan: 'Pro' } }, base, fresh)).to.deep.equal({
      firstName: 'Z',
      tags: ['x', 'y', 'z'],
      followerIds: ['m2'],
      customFields: { topics: ['a', 'b', 'c'], plan: 'Pro' },
    });
  });
});
