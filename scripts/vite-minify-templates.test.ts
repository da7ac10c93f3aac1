import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyTemplates } from './vite-minify-templates.js';

describe('Lit template minifier', () => {
  it('collapses html line breaks and css whitespace, and leaves code and untagged templates alone', () => {
    const source = [
      'const a = html`<div>',
      '    <span>${x}</span>',
      '    ${y ? html`<b>',
      '      yes</b>` : nothing}',
      '  </div>`;',
      'const s = css`',
      '  /* why */',
      '  :host {',
      '    display: block;',
      '  }',
      '`;',
      'const t = css`.a :is(b) { color: red; margin: 0 }`;',
      'const csv = `a',
      'b`;',
      'const p = html`<pre>',
      '  keep</pre>`;',
    ].join('\n');
    const out = minifyTemplates(source);
    assert.match(out, /html`<div> <span>\$\{x\}<\/span> \$\{y \? html`<b> yes<\/b>` : nothing\} <\/div>`/);
    assert.match(out, /css` :host\{display:block\}`/);
    assert.match(out, /css`\.a :is\(b\)\{color:red;margin:0\}`/, 'a selector\'s space before : stays');
    assert.match(out, /const csv = `a\nb`/);
    assert.match(out, /html`<pre>\n {2}keep<\/pre>`/);
  });
});
