// What each column shows in a row.
import { html, nothing } from 'lit';
import { formatDate, formatDay, formatRelative } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { ContactJson, MemberJson, TeamJson } from '../../../core/src/types.js';
import { primary } from './model.js';
import type { TagFit } from './tag-fit.js';

/** Plain text in a cell: in its own element, so a value too long for the column ends in "…" (full value on hover). */
const text = (value: string) => (value ? html`<span class="text" dir="auto" title=${value}>${value}</span>` : '');

/** The tag chips that fit whole (tag-fit.ts) and "+N" for the rest, the full list on hover. */
function tags(list: string[], fit: TagFit) {
  if (!list.length) return nothing;
  const rest = list.length - fit.shown;
  return html`${list.slice(0, fit.shown).map((tag) => html`<span class="tag ${fit.clipped ? 'clip' : ''}" dir="auto" title=${tag}>${tag}</span>`)}${rest
    ? html`<span class="tag more" title=${t('table.moreTags', { n: rest, tags: list.join(', ') })}>+${rest}</span>`
    : nothing}`;
}

/** What some cells need beyond the row: the workspace's teams, and how many tag chips fit the Tags column. */
export interface CellContext {
  teams: TeamJson[];
  fitTags: (tags: string[]) => TagFit;
}

/** A channel key as people call it ("whatsapp" → WhatsApp). */
const channel = (key: string) => (t(`channel.${key}`).startsWith('channel.') ? key : t(`channel.${key}`));

export function cellContent(key: string, c: ContactJson, members: MemberJson[], restoreDays: number, ctx: CellContext, files = false) {
  switch (key) {
    // The server names a contact without a name by its phone (as shown), email or handle ("@jane.doe · Instagram").
    case 'name':
      return html`<dossier-avatar .name=${c.name} .src=${c.avatarUrl}></dossier-avatar><span class="name" dir="auto" title=${c.name}>${c.name || '—'}</span>`;
    case 'email':
      return text(primary(c.emails));
    case 'phone':
      return text((c.phones.find((x) => x.primary) ?? c.phones[0])?.display ?? '');
    case 'tags':
      return tags(c.tags, ctx.fitTags(c.tags));
    case 'owner':
      return c.ownerId ? text(members.find((m) => m.id === c.ownerId)?.name ?? '') : html`<span class="muted">${t('table.unassigned')}</span>`;
    case 'createdAt':
    case 'updatedAt':
      return text(formatDate(c[key]));
    case 'lastInteractionAt':
      return c.lastInteractionAt ? html`<span title=${formatDate(c.lastInteractionAt)}>${formatRelative(c.lastInteractionAt)}</span>` : html`<span class="muted">${t('time.never')}</span>`;
    case 'lastChannel':
      return text(c.lastChannel ? channel(c.lastChannel) : '');
    case 'viewerType':
      return text((c.viewerChannels ?? []).map(channel).join(', '));
    case 'team':
      return text(ctx.teams.find((x) => x.id === c.teamId)?.name ?? '');
    case 'lastAccessedAt':
      return c.lastAccessedAt ? html`<span title=${formatDate(c.lastAccessedAt)}>${formatRelative(c.lastAccessedAt)}</span>` : html`<span class="muted">${t('time.never')}</span>`;
    case 'accessCount':
      return text(String(c.accessCount ?? 0));
    case 'workspace':
      return text((c as { workspaceName?: string }).workspaceName ?? '');
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
      if (typeof value === 'boolean') return html`<span title=${t(value ? 'value.yes' : 'value.no')}>${value ? '✓' : '✗'}</span>`;
      // Date fields hold "1959-07-14": shown in the reader's format, the same day everywhere.
      return text(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDay(value) : String(value));
    }
  }
}
