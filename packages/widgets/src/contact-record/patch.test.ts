import { expect } from '@open-wc/testing';
import type { ContactJson } from '../../../core/src/types.js';
import { applyPatch, rowsToSend } from './patch.js';

const contact = (over: Partial<ContactJson> = {}): ContactJson =>
  ({
    id: 'ct_1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    name: 'Ada Lovelace',
    companyName: null,
    address: { line1: '1 Main St', city: 'London' },
    website: null,
    avatarUrl: null,
    emails: [{ value: 'ada@example.com', label: 'work', primary: true, verified: true }],
    phones: [{ value: '+14155550100', display: '(415) 555-0100', label: 'mobile', primary: true, verified: true }],
    handles: [],
    tags: ['vip'],
    ownerId: null,
    followerIds: [],
    customFields: { plan: 'pro', seats: 3 },
    dnd: { sms: false, calls: false, email: false, facebook: false, gmb: false, whatsapp: false },
    source: null,
    attribution: { first: null, latest: null },
    lastInteractionAt: null,
    lastChannel: null,
    mergedIntoId: null,
    createdAt: 1,
    updatedAt: 1,
    deletedAt: null,
    version: 1,
    ...over,
  }) as ContactJson;

describe('applyPatch (the record\'s optimistic view)', () => {
  it('changes only what the patch names and leaves the contact it was given alone', () => {
    const before = contact();
    const after = applyPatch(before, { companyName: 'Analytical Engines' });
    expect(after.companyName).to.equal('Analytical Engines');
    expect(after.emails).to.equal(before.emails);
    expect(before.companyName).to.equal(null);
  });

  it('merges an address part by part, as the server does, and clears it with null', () => {
    expect(applyPatch(contact(), { address: { city: 'Paris' } }).address).to.deep.equal({ line1: '1 Main St', city: 'Paris' });
    expect(applyPatch(contact(), { address: null }).address).to.equal(null);
  });

  it('drops custom values set to null or empty, keeps the others', () => {
    expect(applyPatch(contact(), { customFields: { plan: null, seats: 4, region: '' } }).customFields).to.deep.equal({ seats: 4 });
  });

  it('marks edited emails and phones unverified and shows an edited phone as typed', () => {
    const after = applyPatch(contact(), {
      emails: [{ value: 'ada@new.example', label: null, primary: true }],
      phones: [{ value: '+442071234567', label: 'work', primary: true }],
    });
    expect(after.emails).to.deep.equal([{ value: 'ada@new.example', label: null, primary: true, verified: false }]);
    expect(after.phones[0]).to.include({ display: '+442071234567', verified: false });
  });

  it('renames the contact from first and last name, else from the primary phone or email', () => {
    expect(applyPatch(contact(), { firstName: 'Augusta' }).name).to.equal('Augusta Lovelace');
    expect(applyPatch(contact(), { firstName: null, lastName: null }).name).to.equal('(415) 555-0100');
    expect(applyPatch(contact({ phones: [] }), { firstName: '', lastName: '' }).name).to.equal('ada@example.com');
    // A patch that does not touch the name keeps it as the server said.
    expect(applyPatch(contact({ name: 'Server Name' }), { tags: [] }).name).to.equal('Server Name');
  });

  it('merges do-not-disturb channels into the current ones', () => {
    expect(applyPatch(contact(), { dnd: { sms: true } }).dnd).to.include({ sms: true, email: false });
  });
});

describe('rowsToSend', () => {
  it('drops empty rows, trims values, and remembers which input row each sent row came from', () => {
    const { sent, rowIndex } = rowsToSend([
      { value: ' a@example.com ', label: 'work', primary: false },
      { value: '   ', label: null, primary: false },
      { value: 'b@example.com', label: '', primary: true },
    ]);
    expect(sent).to.deep.equal([
      { value: 'a@example.com', label: 'work', primary: false },
      { value: 'b@example.com', label: null, primary: true },
    ]);
    expect(rowIndex).to.deep.equal([0, 2]);
  });

  it('makes the first kept row primary when the primary row was emptied', () => {
    const { sent } = rowsToSend([
      { value: '', label: null, primary: true },
      { value: 'b@example.com', label: null, primary: false },
    ]);
    expect(sent[0]!.primary).to.equal(true);
    expect(rowsToSend([]).sent).to.deep.equal([]);
  });
});
