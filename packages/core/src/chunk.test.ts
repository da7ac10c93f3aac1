import { expect } from '@open-wc/testing';
import type { DossierApiError } from './api.js';
import { loadChunk } from './chunk.js';
import type { DossierErrorEvent } from './events.js';
import { defineOnSight } from '../../widgets/src/lazy-define.js';

describe('loadChunk', () => {
  it('tries a failed load once more', async () => {
    let calls = 0;
    const mod = await loadChunk(async () => {
      if (++calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return { ok: true };
    });
    expect(mod).to.deep.equal({ ok: true });
    expect(calls).to.equal(2);
  });

  it('fails as chunk_load with a message that says what to do when the chunk is gone', async () => {
    // A chunk a redeploy removed: the real import() of a file the server no longer has.
    const err = (await loadChunk(() => import(/* @vite-ignore */ `${location.origin}/dist/0.0.0-gone/missing-${Date.now()}.js`)).catch((e: unknown) => e)) as DossierApiError;
    expect(err.code).to.equal('chunk_load');
    expect(err.message).to.equal('Could not load. Reload the page.');
  });
});

describe('defineOnSight', () => {
  it('shows the failure in place of an element whose code cannot load, and sends dossier-error chunk_load', async () => {
    const el = document.createElement('gone-element');
    const errors: DossierErrorEvent[] = [];
    document.addEventListener('dossier-error', (e) => errors.push(e as DossierErrorEvent), { once: true });
    document.body.append(el);
    defineOnSight({ 'gone-element': () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')) });
    await new Promise((r) => setTimeout(r, 50));
    expect(el.textContent).to.equal('Could not load. Reload the page.');
    expect((errors[0]?.detail.error as DossierApiError).code).to.equal('chunk_load');
    expect(errors[0]?.detail.action).to.equal('load-chunk');
    el.remove();
  });
});
