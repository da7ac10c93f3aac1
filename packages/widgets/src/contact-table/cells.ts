// What each column shows in a row.
import { html, nothing } from 'lit';
import { formatDate, formatPhone, formatRelative } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { ContactJson, MemberJson } from '../../../core/src/types.js';
import { primary } from './model.js';

/** Plain text in a cell: in its own element, so a value too long for the column ends in "…" (full value on hover). */
const text = (value: string) => (value ? html`<span class="text" title=${value}>${value}</span>` : '');

/**
 * At most two tag chips (each ellipsized when long) and "+N" for the rest, the full list on hover: no measuring, so
 * scrolling a long list stays cheap.
 */
function tags(list: string[]) {
  if (!list.length) return nothing;
  const rest = list.slice(2);
  return html`${list.slice(0, 2).map((tag) => html`<span class="tag" title=${tag}>${tag}</span>`)}${rest.length
    ? html`<span class="tag more" title=${t('table.moreTags', { n: rest.length, tags: list.join(', ') })}>+${rest.length}</span>`
    : nothing}`;
}

export function cellContent(key: string, c: ContactJson, members: MemberJson[], restoreDays: number, files = false) {
  switch (key) {
    case 'name': {
      // A contact without a name is called by its phone (E.164 on the server): show it as the Phone column does.
      const name = /^\+\d{6,15}$/.test(c.name) ? formatPhone(c.name) : c.name;
      return html`<dossier-avatar .name=${name} .src=${c.avatarUrl}></dossier-avatar><span class="name" title=${name}>${name || '—'}</span>`;
    }
    case 'email':
      return text(primary(c.emails));
    case 'phone': {
      const p = primary(c.phones);
      return p ? text(formatPhone(p)) : '';
    }
    case 'tags':
      return tags(c.tags);
    case 'owner':
      return c.ownerId ? text(members.find((m) => m.id === c.ownerId)?.name ?? '') : html`<span class="muted">${t('table.unassigned')}</span>`;
    case 'createdAt':
    case 'updatedAt':
      return text(formatDate(c[key]));
    case 'lastInteractionAt':
      return c.lastInteractionAt ? html`<span title=${formatDate(c.lastInteractionAt)}>${formatRelative(c.lastInteractionAt)}</span>` : html`<span class="muted">${t('time.never')}</span>`;
    case 'lastChannel':
      return text(c.lastChannel ?? '');
    case 'lastAccessedAt':
      return c.lastAccessedAt ? html`<span title=${formatDate(c.lastAccessedAt)}>${formatRelative(c.lastAccessedAt)}</span>` : html`<span class="muted">${t('time.never')}</span>`;
    case 'accessCount':
      return text(String(c.accessCount ?? 0));
    case 'companyName':
      return text(c.companyName ?? '');
    case 'source':
      return text(c.source ?? '');
    case 'purge':
      return c.deletedAt ? text(t('table.purgeIn', { when: formatRelative(c.deletedAt + restoreDays * 86_400_000) })) : '';
    default: {
      if (!key.startsWith('custom.')) return '';
      const value = c.customFields[key.slice(7)];
      if (value == null) return '';
      if (files) return text(plural('table.files', (value as unknown[]).length));
      if (Array.isArray(value)) return text(value.join(', '));
      if (typeof value === 'boolean') return value ? '✓' : '✗';
      return text(String(value));
    }
  }
}
