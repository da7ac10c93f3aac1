import { expect } from '@open-wc/testing';
import type { CustomFieldJson, MemberJson } from '../../../core/src/types.js';
import './messages.js';
import { chipLabel, fieldPathLabel, type LabelContext } from './chips.js';

const fields = [
  { key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'] },
  { key: 'seats', label: 'Seats', type: 'number' },
  { key: 'renewal', label: 'Renewal', type: 'date' },
  { key: 'active', label: 'Active', type: 'checkbox' },
] as CustomFieldJson[];
const members = [{ id: 'mb_1', name: 'Olivia Owner' }] as MemberJson[];
const ctx: LabelContext = { fields, members, teams: [], links: [{ id: 'sl_1', name: 'Client link', documentId: 'doc_1' }] };

describe('filter chips', () => {
  it('names fields, operators and values as the drawer does, never the API keys', () => {
    expect(chipLabel({ field: 'tags', op: 'has_any', value: ['vip', 'lead'] }, ctx)).to.equal('Tags has any of vip, lead');
    expect(chipLabel({ field: 'owner', op: 'is', value: 'mb_1' }, ctx)).to.equal('Owner is Olivia Owner');
    expect(chipLabel({ field: 'owner', op: 'is', value: 'unassigned' }, ctx)).to.equal('Owner is Unassigned');
    expect(chipLabel({ field: 'channel', op: 'has', value: 'whatsapp' }, ctx)).to.equal('Channel has WhatsApp');
    expect(chipLabel({ field: 'custom.active', op: 'is', value: true }, ctx)).to.equal('Active is Yes');
  });

  it('uses the kind\'s own operator names (numbers "equals", viewed "any")', () => {
    expect(chipLabel({ field: 'custom.seats', op: 'eq', value: 1200 }, ctx)).to.equal('Seats equals 1,200');
    expect(chipLabel({ field: 'shareLink', op: 'is_not_empty', value: null }, ctx)).to.equal('Share link viewed: any');
    expect(chipLabel({ field: 'shareLink', op: 'is', value: 'sl_1' }, ctx)).to.match(/^Share link viewed .* Client link$/);
  });

  it('words relative dates and ranges', () => {
    expect(chipLabel({ field: 'createdAt', op: 'in_last_days', value: 1 }, ctx)).to.equal('Created in the last day');
    expect(chipLabel({ field: 'createdAt', op: 'in_last_days', value: 30 }, ctx)).to.equal('Created in the last 30 days');
    expect(chipLabel({ field: 'lastIncomingAt', op: 'older_than', value: { amount: 2, unit: 'hours' } }, ctx)).to.equal('Time since last incoming message more than 2 hours ago');
    expect(chipLabel({ field: 'custom.seats', op: 'between', value: [1, 5] }, ctx)).to.equal('Seats is between 1 – 5');
  });

  it('keeps an unknown id readable rather than failing', () => {
    expect(chipLabel({ field: 'owner', op: 'is', value: 'mb_gone' }, ctx)).to.equal('Owner is mb_gone');
    expect(chipLabel({ field: 'custom.removed', op: 'is', value: 'x' }, ctx)).to.equal('removed is x');
  });
});

describe('fieldPathLabel', () => {
  it('names an API error path as the person knows the field', () => {
    expect(fieldPathLabel('emails[0].value', fields)).to.equal('Email');
    expect(fieldPathLabel('emails[1].value', fields)).to.equal('Email 2');
    expect(fieldPathLabel('customFields.plan', fields)).to.equal('Plan');
    expect(fieldPathLabel('address.city', fields)).to.equal('City');
    expect(fieldPathLabel('ownerId', fields)).to.equal('Owner');
  });
});
