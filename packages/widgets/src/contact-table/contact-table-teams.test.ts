import { expect, html } from '@open-wc/testing';
import { unwrap } from '../../../core/src/api.js';
import { clientFor, createContact, inProvider, tokenFor, until } from '../../../core/src/testing/fixtures.js';
import './contact-table.js';
import type { ContactTable } from './contact-table.js';
import { $, $$, uid, names, button } from './table-testing.js';

// The team inbox against the real server: "My team" in the view selector, the Team column and filter, and the
// bulk "Assign team".

describe('<contact-table> team inbox', () => {
  it('offers "My team" to team members: their teams\' contacts, with the Team column and chip', async () => {
    const tag = uid();
    const { memberId } = await tokenFor('manager');
    const client = clientFor('owner');
    const team = (await unwrap(client.api.api.v1.teams.$post({ json: { name: `Team ${tag}`, memberIds: [memberId] } }))) as { id: string; name: string };
    await createContact({ firstName: 'Ours', lastName: tag, tags: [tag], teamId: team.id });
    await createContact({ firstName: 'Theirs', lastName: tag, tags: [tag] });
    const el = await inProvider<ContactTable>(html`<contact-table q=${tag}></contact-table>`, 'manager');
    await until(() => names(el).length === 2, 'both rows');
    const select = $<HTMLSelectElement>(el, '#view')!;
    const option = [...select.options].find((o) => o.value === '__team')!;
    expect(option.textContent).to.equal('My team');
    select.value = '__team';
    select.dispatchEvent(new Event('change'));
    await until(() => el.source?.complete && names(el).length === 1, 'my team');
    expect(names(el)[0]).to.contain('Ours');
    expect(el.filter).to.deep.equal([{ field: 'team', op: 'is_any', value: ['mine'] }]);
    expect($(el, '.body .col-team')!.textContent!.trim()).to.equal(team.name);
    await until(() => $(el, '.chip'), 'chip');
    expect($(el, '.chip span')!.textContent).to.equal('Team is any of My teams');
    expect(select.value).to.equal('__team');
    // Members of no team are not offered it.
    const outsider = await inProvider<ContactTable>(html`<contact-table q=${tag}></contact-table>`, 'agent');
    await until(() => outsider.session && outsider.source, 'outsider');
    expect([...$<HTMLSelectElement>(outsider, '#view')!.options].map((o) => o.value)).to.not.include('__team');
  });

  it('assigns the selection to a team in bulk', async () => {
    const tag = uid();
    const client = clientFor('owner');
    const team = (await unwrap(client.api.api.v1.teams.$post({ json: { name: `Bulk ${tag}` } }))) as { id: string; name: string };
    await createContact({ firstName: 'Bulk', lastName: `One ${tag}`, tags: [tag] });
    await createContact({ firstName: 'Bulk', lastName: `Two ${tag}`, tags: [tag] });
    const el = await inProvider<ContactTable>(html`<contact-table q=${tag}></contact-table>`);
    el.columns = ['name', 'team'];
    await until(() => names(el).length === 2, 'rows');
    $<HTMLInputElement>(el, '.head .check input')!.click();
    await until(() => $(el, '.bulk'), 'bulk bar');
    button(el, 'Assign team').click();
    await until(() => el.shadowRoot!.querySelector('table-form-dialog')?.shadowRoot?.querySelector('dialog[open] select'), 'dialog');
    const dialog = el.shadowRoot!.querySelector('table-form-dialog')!;
    const pick = dialog.shadowRoot!.querySelector<HTMLSelectElement>('select')!;
    expect([...pick.options].map((o) => o.textContent)).to.include.members(['No team', team.name]);
    pick.value = team.id;
    pick.dispatchEvent(new Event('change'));
    button(dialog, 'Assign team').click();
    await until(() => el.job?.status === 'done' && el.source?.complete && $$(el, '.body .col-team').every((c) => c.textContent!.trim() === team.name) && names(el).length === 2, 'assigned', 8000);
    const rows = (await unwrap(client.api.api.v1.contacts.query.$post({ json: { q: tag, filter: { field: 'team', op: 'is_any', value: [team.id] } } as never }) as never)) as { items: unknown[] };
    expect(rows.items).to.have.length(2);
  });
});
