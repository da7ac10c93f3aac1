import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dossierClient, DossierProblem, unwrap } from './host-client.js';
import { harness, type Harness } from './testing.js';

describe('host client (hc<AppType> with the secret key)', () => {
  let h: Harness;
  let ws: Awaited<ReturnType<Harness['workspace']>>;
  before(async () => {
    h = await harness();
    ws = await h.workspace();
  });
  after(() => h.close());

  it('creates a contact, lists its tasks and the workspace tasks, and turns a refusal into DossierProblem', async () => {
    // The real app answers the client's requests (as over HTTP, through app.request).
    const dossier = dossierClient('http://localhost', ws.secretKey, { fetch: (input, init) => Promise.resolve(h.app.request(input instanceof Request ? input : String(input), init)) });
    const contact = await unwrap(dossier.api.v1.contacts.$post({ json: { firstName: 'Ada', emails: [{ value: 'ada@example.com' }] } }));
    assert.equal(contact.firstName, 'Ada');
    const page = await unwrap(dossier.api.v1.contacts[':id'].tasks.$get({ param: { id: contact.id }, query: { status: 'open', limit: '20' } }));
    assert.deepEqual(page, { items: [], nextCursor: null });
    const open = await unwrap(dossier.api.v1.tasks.$get({ query: { status: 'open' } }));
    assert.deepEqual(open.items, []);
    await assert.rejects(unwrap(dossier.api.v1.contacts[':id'].$get({ param: { id: 'no-such-contact' } })), (err: unknown) => {
      assert.ok(err instanceof DossierProblem);
      assert.equal(err.status, 404);
      assert.equal(err.code, 'not_found');
      return true;
    });
    await assert.rejects(unwrap(dossier.api.v1.contacts.$post({ json: { firstName: 'x'.repeat(300) } })), (err: unknown) => err instanceof DossierProblem && err.code === 'validation_failed' && Array.isArray(err.details));
  });

  it('loads no server code: every import from this repository is a type import', () => {
    const source = readFileSync(new URL('./host-client.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)].map((m) => ({ typeOnly: !!m[1], from: m[2]! }));
    assert.deepEqual(imports.filter((i) => !i.typeOnly).map((i) => i.from), ['hono/client']);
  });
});
