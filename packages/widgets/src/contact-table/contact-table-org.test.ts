import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../core/src/dossier-provider.js';
import type { DossierProvider } from '../../../core/src/dossier-provider.js';
import { choose, until } from '../../../core/src/testing/fixtures.js';
import '../contact-record/contact-record.js';
import type { ContactRecord } from '../contact-record/contact-record.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';
import { $, $$, button, names } from './table-testing.js';

// The organization view against the real server: the test backend plays an agency's backend, minting an
// organization session over two workspaces ("North Clinic": 150 contacts "Row<i> north", "South Clinic": 40).

interface OrgSession {
  token: string;
  expiresAt: number;
  memberships: { workspaceId: string; workspaceName: string; token: string }[];
}

async function orgSession(role = 'manager'): Promise<OrgSession> {
  const res = await fetch(`/test/org-session?role=${role}`, { method: 'POST' });
  if (!res.ok) throw new Error(`org session: ${res.status} ${await res.text()}`);
  return res.json();
}

/** An organization table inside a provider holding the organization session token (as a host's token-url would answer). */
async function mountOrg(attrs: { q?: string; workspaceId?: string } = {}) {
  const session = await orgSession();
  const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${async () => session}>
    <contact-table organization q=${attrs.q ?? ''} workspace-id=${attrs.workspaceId ?? ''}></contact-table>
  </dossier-provider>`);
  const el = provider.firstElementChild as ContactTable;
  await until(() => el.source?.row(0) || el.source?.error, 'first rows');
  return { el, session };
}

const workspaceCells = (el: ContactTable) => $$(el, '.body [role=row] .col-workspace').map((c) => c.textContent!.trim());
const byName = (s: OrgSession, name: string) => s.memberships.find((m) => m.workspaceName === name)!;

describe('<contact-table organization>', () => {
  it("lists every workspace's contacts with a Workspace column and count, read-only", async () => {
    const { el, session } = await mountOrg();
    expect(el.source!.error).to.equal(null);
    await until(() => $(el, '.status')!.textContent!.includes('190 contacts'), 'the count of both workspaces');
    expect($(el, '.head [data-key="workspace"]')!.textContent).to.contain('Workspace');
    expect(workspaceCells(el)[0]).to.equal('South Clinic');
    const loaded = el.source!.rows as unknown as { workspaceName: string }[];
    expect([...new Set(loaded.map((r) => r.workspaceName))].sort()).to.deep.equal(['North Clinic', 'South Clinic']);
    // Newest first across both workspaces (the south clinic's rows were made last).
    expect(names(el).slice(0, 2)).to.deep.equal(['Row0 south', 'Row1 south']);
    // Every write happens inside one workspace: no selection, no add, import or export here.
    expect($(el, '.check')).to.equal(null);
    const buttons = $$(el, '.toolbar button').map((b) => b.textContent!.trim());
    expect(buttons).to.not.include('Add contact');
    expect(buttons).to.not.include('Import');
    expect(buttons).to.not.include('Export');
    // The Workspace filter sits where a workspace's table has its saved views.
    const options = [...$<HTMLSelectElement>(el, '#view')!.options].map((o) => [o.value, o.textContent]);
    expect(options).to.deep.equal([['', 'All workspaces'], ...session.memberships.map((m) => [m.workspaceId, m.workspaceName])]);
  });

  it('filters by workspace and tells the host', async () => {
    const { el, session } = await mountOrg();
    const south = byName(session, 'South Clinic');
    const changed = oneEvent(el, 'contact-view-change');
    choose($<HTMLSelectElement>(el, '#view')!, south.workspaceId);
    expect((await changed).detail.workspaceId).to.equal(south.workspaceId);
    expect(el.workspaceId).to.equal(south.workspaceId);
    await until(() => el.source?.complete && el.source.length === 40, 'the south clinic only');
    expect(new Set(workspaceCells(el))).to.deep.equal(new Set(['South Clinic']));
    expect($(el, '.status')!.textContent).to.contain('40 contacts');
  });

  it('searches across the workspaces', async () => {
    const { el } = await mountOrg({ q: 'Row12' });
    await until(() => el.source?.complete, 'the search');
    // Row12 and Row120–Row129 in the north; Row12 in the south.
    expect(el.source!.length).to.equal(12);
    expect(names(el)).to.include('Row12 south');
    expect(names(el)).to.include('Row129 north');
  });

  it('grows as it scrolls: the next block loads after the one above', async () => {
    const { el, session } = await mountOrg({ workspaceId: byName(session0, 'North Clinic').workspaceId });
    expect(session.memberships.length).to.equal(2);
    await until(() => el.source!.length === 101, 'the first block, and one row known past it');
    const grid = $(el, '.grid')!;
    grid.scrollTop = grid.scrollHeight;
    await until(() => el.source?.complete, 'the second block');
    expect(el.source!.length).to.equal(150);
    grid.scrollTop = grid.scrollHeight;
    await until(() => names(el).includes('Row149 north'), 'the last row drawn');
  });

  it("opens a row in its own workspace: contact-open names it, and the record loads with that workspace's token", async () => {
    const { el, session } = await mountOrg({ q: 'Row3 south' });
    await until(() => el.source?.complete && names(el).includes('Row3 south'), 'the row');
    const south = byName(session, 'South Clinic');
    const opened = oneEvent(el, 'contact-open');
    $<HTMLElement>(el, '.body [role=row] .col-name')!.click();
    const { detail } = await opened;
    expect(detail.workspaceId).to.equal(south.workspaceId);
    // The host's recipe: a provider with the membership token of that workspace.
    const provider = await fixture<DossierProvider>(html`<dossier-provider .getToken=${async () => ({ token: south.token, expiresAt: session.expiresAt })}>
      <contact-record contact-id=${detail.id}></contact-record>
    </dossier-provider>`);
    const record = provider.firstElementChild as ContactRecord;
    await until(() => record.contact?.name === 'Row3 south', 'the record');
  });

  it('offers only the filters every workspace shares', async () => {
    const { el } = await mountOrg();
    button(el, 'Filters').click();
    await until(() => el.shadowRoot!.querySelector('table-filter-drawer')?.shadowRoot?.querySelector('button'), 'the drawer');
    const drawer = el.shadowRoot!.querySelector('table-filter-drawer')!;
    [...drawer.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Add filter'))!.click();
    await until(() => drawer.shadowRoot!.querySelector('select'), 'a condition');
    const fields = [...drawer.shadowRoot!.querySelectorAll('option')].map((o) => o.value);
    expect(fields).to.include('viewerType');
    expect(fields).to.include('tags');
    expect(fields).to.not.include('owner');
    expect(fields).to.not.include('team');
    expect(fields).to.not.include('shareLink');
  });
});

/** A session minted up front, for tests that choose a workspace before mounting. */
let session0: OrgSession;
before(async () => {
  session0 = await orgSession();
});
