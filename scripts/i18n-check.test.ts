// Every shipped language has every English message (all the plural forms its rules need) with the same
// placeholders; `npm run i18n:check` prints what is missing, ready to paste.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain ES module script without types
import { english, languages, missingKeys, placeholderMismatches, staleKeys } from './i18n-check.mjs';

describe('message catalogues', () => {
  it('ship German, Spanish, French and Arabic', () => {
    assert.deepEqual([...languages].sort(), ['ar', 'de', 'es', 'fr']);
    assert.ok(english.size > 800, `${english.size} English messages found`);
  });

  for (const lang of languages as string[]) {
    it(`${lang} has every English key, in every plural form it needs`, () => {
      assert.deepEqual(missingKeys(lang), []);
    });
    it(`${lang} keeps the English placeholders and has no keys English dropped`, () => {
      assert.deepEqual(placeholderMismatches(lang), []);
      assert.deepEqual(staleKeys(lang), []);
    });
  }
});
