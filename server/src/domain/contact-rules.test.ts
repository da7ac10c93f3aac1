import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../http/errors.js';
import { checkFieldValue, displayName, displayPhone, normalizeEmails, normalizePhones, normalizeUrl } from './contact-rules.js';

const field422 = (fn: () => unknown, field: string) =>
  assert.throws(fn, (err: unknown) => err instanceof ApiError && err.status === 422 && (err.details as { field: string }).field === field);

describe('contact rules', () => {
  it('lower-cases emails and makes the first primary when none is marked', () => {
    assert.deepEqual(normalizeEmails([{ value: ' Ann@Example.COM ' }, { value: 'b@example.com', label: 'work' }]), [
      { value: 'ann@example.com', label: null, primary: true },
      { value: 'b@example.com', label: 'work', primary: false },
    ]);
  });

  it('refuses invalid, duplicate, too many and doubly-primary emails, naming the field', () => {
    field422(() => normalizeEmails([{ value: 'a@example.com' }, { value: 'not-an-email' }]), 'emails[1].value');
    field422(() => normalizeEmails([{ value: 'a@example.com' }, { value: 'A@example.com' }]), 'emails[1].value');
    field422(() => normalizeEmails(Array.from({ length: 12 }, (_, i) => ({ value: `a${i}@example.com` }))), 'emails');
    field422(() => normalizeEmails([{ value: 'a@example.com', primary: true }, { value: 'b@example.com', primary: true }]), 'emails');
  });

  it('stores phones as E.164 using the workspace region for national numbers', () => {
    const phones = normalizePhones([{ value: '(415) 555-2671', label: 'mobile' }, { value: '+44 20 7946 0958', label: 'work', primary: true }], 'US');
    assert.deepEqual(phones, [
      { value: '+14155552671', label: 'mobile', primary: false },
      { value: '+442079460958', label: 'work', primary: true },
    ]);
    assert.equal(normalizePhones([{ value: '030 901820' }], 'DE')[0]!.value, '+4930901820');
  });

  it('refuses invalid numbers, unknown labels, repeated labels and more than 11 phones', () => {
    field422(() => normalizePhones([{ value: '12' }], 'US'), 'phones[0].value');
    field422(() => normalizePhones([{ value: '+14155552671', label: 'fax' }], 'US'), 'phones[0].label');
    field422(() => normalizePhones([{ value: '+14155552671', label: 'work' }, { value: '+14155552672', label: 'work' }], 'US'), 'phones[1].label');
    field422(() => normalizePhones(Array.from({ length: 12 }, (_, i) => ({ value: `+1415555${String(2600 + i)}` })), 'US'), 'phones');
  });

  it('checks every custom field type', () => {
    const f = (type: string, options?: string[]) => ({ key: 'k', type: type as 'text', options: options ? JSON.stringify(options) : null });
    assert.equal(checkFieldValue(f('text'), 'hi').text, 'hi');
    assert.equal(checkFieldValue(f('number'), 4.5).num, 4.5);
    assert.equal(checkFieldValue(f('date'), '2024-02-29').num, Date.UTC(2024, 1, 29));
    assert.equal(checkFieldValue(f('select', ['a', 'b']), 'b').text, 'b');
    assert.equal(checkFieldValue(f('multi_select', ['a', 'b']), ['a', 'b', 'a']).json, '["a","b"]');
    assert.equal(checkFieldValue(f('checkbox'), true).num, 1);
    assert.equal(checkFieldValue(f('url'), 'example.com/x').text, 'https://example.com/x');
    field422(() => checkFieldValue(f('text'), 3), 'customFields.k');
    field422(() => checkFieldValue(f('number'), '3'), 'customFields.k');
    field422(() => checkFieldValue(f('date'), '2023-02-29'), 'customFields.k');
    field422(() => checkFieldValue(f('date'), '01/02/2023'), 'customFields.k');
    field422(() => checkFieldValue(f('select', ['a']), 'z'), 'customFields.k');
    field422(() => checkFieldValue(f('multi_select', ['a']), ['a', 'z']), 'customFields.k');
    field422(() => checkFieldValue(f('checkbox'), 'yes'), 'customFields.k');
    field422(() => checkFieldValue(f('url'), 'javascript:alert(1)'), 'customFields.k');
  });

  it('builds the display name from name, then phone (as people read it), then email, then a handle', () => {
    assert.equal(displayName('Ann', 'Lee', '+1', 'a@x.io', 'US'), 'Ann Lee');
    assert.equal(displayName(null, null, '+14155552671', 'a@x.io', 'US'), '(415) 555-2671');
    assert.equal(displayName(null, null, '+14155552671', 'a@x.io', 'GB'), '+1 415 555 2671');
    assert.equal(displayName('', ' ', null, 'a@x.io', 'US'), 'a@x.io');
    assert.equal(displayName(null, null, null, null, 'US', { channel: 'instagram', handle: 'jane.doe' }), '@jane.doe · Instagram');
    assert.equal(displayPhone('+33612345678', 'FR'), '06 12 34 56 78');
    assert.equal(displayPhone('+33612345678', 'US'), '+33 6 12 34 56 78');
    assert.equal(normalizeUrl('acme.io', 'website'), 'https://acme.io/');
  });

  it('shows phone numbers of every region as people there read them: national at home, international abroad', () => {
    const cases: [string, string, string, string][] = [
      // E.164, its region, national format, international format
      ['+4930123456789', 'DE', '030 123456789', '+49 30 123456789'],
      ['+33612345678', 'FR', '06 12 34 56 78', '+33 6 12 34 56 78'],
      ['+442079460958', 'GB', '020 7946 0958', '+44 20 7946 0958'],
      ['+919876543210', 'IN', '098765 43210', '+91 98765 43210'],
      ['+5511987654321', 'BR', '(11) 98765-4321', '+55 11 98765 4321'],
      ['+971501234567', 'AE', '050 123 4567', '+971 50 123 4567'],
      ['+14155550199', 'US', '(415) 555-0199', '+1 415 555 0199'],
    ];
    for (const [e164, region, national, international] of cases) {
      assert.equal(displayPhone(e164, region), national, `${e164} in ${region}`);
      assert.equal(displayPhone(e164, region === 'US' ? 'DE' : 'US'), international, `${e164} abroad`);
    }
  });
});
