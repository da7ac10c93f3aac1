import { html } from 'lit';
import { live } from 'lit/directives/live.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { ContactRecord } from './contact-record.js';

// This tab's own words load with it (its chunk is loaded when the tab first opens).
addMessages('en', {
  'record.dnd.all': 'All channels',
  'record.dnd.help': 'Contacts in Do not disturb get no messages on that channel.',
  'record.dnd.sms': 'SMS',
  'record.dnd.call': 'Calls',
  'record.dnd.email': 'Email',
  'record.dnd.facebook': 'Facebook',
  'record.dnd.gmb': 'Google Business',
  'record.dnd.whatsapp': 'WhatsApp',
});

const CHANNELS = ['sms', 'call', 'email', 'facebook', 'gmb', 'whatsapp'] as const;

/** Do-not-disturb switches per channel, plus one for all channels. */
export function renderDndTab(host: ContactRecord, c: ContactJson) {
  const all = CHANNELS.every((ch) => c.dnd[ch]);
  const toggle = (dnd: Partial<ContactJson['dnd']>) => void host.save({ dnd }, ['dnd']);
  return html`
    <p class="muted">${t('record.dnd.help')}</p>
    <div class="switches">
      <label class="switch all">
        <input type="checkbox" role="switch" .checked=${live(all)} ?disabled=${!host.editable}
          @change=${(e: Event) => toggle(Object.fromEntries(CHANNELS.map((ch) => [ch, (e.target as HTMLInputElement).checked])))} />
        <span>${t('record.dnd.all')}</span>
      </label>
      ${CHANNELS.map(
        (ch) => html`<label class="switch">
          <input type="checkbox" role="switch" .checked=${live(c.dnd[ch])} ?disabled=${!host.editable}
            @change=${(e: Event) => toggle({ [ch]: (e.target as HTMLInputElement).checked })} />
          <span>${t(`record.dnd.${ch}`)}</span>
        </label>`,
      )}
    </div>
    ${host.renderFieldError('dnd')}
  `;
}
