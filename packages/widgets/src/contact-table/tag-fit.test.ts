import { expect } from '@open-wc/testing';
import { fitTags } from './tag-fit.js';

// 6 px a character: chip = text + 18, "+N" = text + 14, 4 px between.
const measure = (text: string) => text.length * 6;

describe('fitTags', () => {
  it('keeps whole chips that fit beside the "+N" of the rest', () => {
    expect(fitTags(['vip', 'lead', 'west'], 200, measure)).to.deep.equal({ shown: 3, clipped: false });
    // vip (36) + lead (4 + 42) + "+1" (4 + 26) = 112
    expect(fitTags(['vip', 'lead', 'west'], 112, measure)).to.deep.equal({ shown: 2, clipped: false });
    expect(fitTags(['vip', 'lead', 'west'], 111, measure)).to.deep.equal({ shown: 1, clipped: false });
    expect(fitTags([], 10, measure)).to.deep.equal({ shown: 0, clipped: false });
  });

  it('ellipsizes a lone first chip only when it keeps some text, else shows "+N" alone', () => {
    const long = ['enterprise-customer', 'vip'];
    // room 100 - "+1" (30) - chip box (18) = 52 px of text: clipped but readable.
    expect(fitTags(long, 100, measure)).to.deep.equal({ shown: 1, clipped: true });
    // 60 - 30 - 18 = 12 px: a letter or two, so none.
    expect(fitTags(long, 60, measure)).to.deep.equal({ shown: 0, clipped: false });
  });
});
