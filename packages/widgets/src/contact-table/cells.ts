// What each column shows in a row.
import { html, nothing } from 'lit';
import { formatDate, formatPhone, formatRelative } from '../../../core/src/format.js';
import { t } from '../../../core/src/i18n.js';
import type { ContactJson, MemberJson } from '../../../core/src/types.js';
import { primary } from './model.js';

export function cellContent(key: string, c: ContactJson, members: MemberJson[], restoreDays: number) {
  switch (key) {
    case 'name': {
      // A contact without a name is called by its phone (E.164 on the server): show it as the Phone column does.
      const name = /^\+\d{6,15}$/.test(c.name) ? formatPhone(c.name) : c.name;
      return html`<dossier-avatar .name=${name} .src=${c.avatarUrl}></dossier-avatar><span class="name" title=${name}>${name || '—'}</span>`;
    }
    case 'email':
      return primary(c.emails);
    case 'phone': {
      const p = primary(c.phones);
      return p ? formatPhone(p) : '';
    }
    case 'tags':
      return c.tags.length ? html`${c.tags.map((tag) => html`<span class="tag">${tag}</span>`)}` : nothing;
    case 'owner':
      return c.ownerId ? (members.find((m) => m.id === c.ownerId)?.name ?? '') : html`<span class="muted">${t('table.unassigned')}</span>`;
    case 'createdAt':
    case 'updatedAt':
      return formatDate(c[key]);
    case 'lastInteractionAt':
      return c.lastInteractionAt ? html`<span title=${formatDate(c.lastInteractionAt)}>${formatRelative(c.lastInteractionAt)}</span>` : html`<span class="muted">${t('time.never')}</span>`;
    case 'lastChannel':
      return c.lastChannel ?? '';
    case 'lastAccessedAt':
      return c.lastAccessedAt ? html`<span title=${formatDate(c.lastAccessedAt)}>${formatRelative(c.lastAccessedAt)}</span>` : html`<span class="muted">${t('time.never')}</span>`;
    case 'accessCount':
      return String(c.accessCount ?? 0);
    case 'companyName':
      return c.companyName ?? '';
    case 'source':
      return c.source ?? '';
    case 'purge':
      return c.deletedAt ? t('table.purgeIn', { when: formatRelative(c.deletedAt + restoreDays * 86_400_000) }) : '';
    default: {
      if (!key.startsWith('custom.')) return '';
      const value = c.customFields[key.slice(7)];
      if (value == null) return '';
      if (Array.isArray(value)) return value.join(', ');
      if (typeof value === 'boolean') return value ? '✓' : '✗';
      return String(value);
    }
  }
}
