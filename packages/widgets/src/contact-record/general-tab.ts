import { html, nothing } from 'lit';
import { formatDateTime } from '../../../core/src/format.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import type { Address, Attribution, ContactJson } from '../../../core/src/types.js';
import type { ContactRecord } from './contact-record.js';
import { textField } from './fields.js';

// This tab's own words load with it (its chunk is loaded when the tab first opens).
addMessages('en', {
  'record.company': 'Company',
  'record.website': 'Website',
  'record.address': 'Address',
  'record.address.line1': 'Street',
  'record.address.line2': 'Apartment, suite, etc.',
  'record.address.city': 'City',
  'record.address.region': 'State / region',
  'record.address.postalCode': 'Postal code',
  'record.address.country': 'Country',
  'record.source': 'Source',
  'record.attribution.first': 'First interaction',
  'record.attribution.latest': 'Latest interaction',
});

const ADDRESS_PARTS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;

/** Company, address, website, and (read-only) source and attribution. */
export function renderGeneralTab(host: ContactRecord, c: ContactJson) {
  const address = c.address ?? {};
  return html`
    <div class="grid two">
      ${textField(host, { path: 'companyName', label: t('record.company'), saved: c.companyName, toPatch: (v) => ({ companyName: v }) })}
      ${textField(host, { path: 'website', label: t('record.website'), saved: c.website, toPatch: (v) => ({ website: v }), type: 'url' })}
    </div>
    <fieldset class="rows">
      <legend>${t('record.address')}</legend>
      <div class="grid two">
        ${ADDRESS_PARTS.map((part) =>
          textField(host, {
            path: `address.${part}`,
            label: t(`record.address.${part}`),
            saved: address[part] ?? '',
            // Only the part that changed: the server merges it into the address as it is now.
            toPatch: (v) => ({ address: { [part]: v } as Address }),
          }),
        )}
      </div>
      ${host.renderFieldError('address')}
    </fieldset>
    <dl class="facts">
      <dt>${t('record.source')}</dt>
      <dd>${c.source ?? '—'}</dd>
      ${renderAttribution(t('record.attribution.first'), c.attribution.first)}
      ${renderAttribution(t('record.attribution.latest'), c.attribution.latest)}
    </dl>
  `;
}

function renderAttribution(label: string, a: Attribution | null) {
  if (!a) return nothing;
  const parts = [a.source, a.medium, a.campaign].filter(Boolean).join(' · ');
  return html`<dt>${label}</dt>
    <dd>${parts || '—'}${a.at ? html` <span class="muted">(${formatDateTime(a.at)})</span>` : nothing}</dd>`;
}
