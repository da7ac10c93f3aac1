import { Task } from '@lit/task';
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatDateTime, formatRelative } from '../../../core/src/format.js';
import { t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import type { AuditEventJson, CustomFieldJson, MemberJson } from '../../../core/src/types.js';

/** API field → message key of its label in the record. */
const FIELD_LABELS: Record<string, string> = {
  name: 'record.audit.field.name',
  firstName: 'record.firstName',
  lastName: 'record.lastName',
  companyName: 'record.company',
  website: 'record.website',
  address: 'record.address',
  emails: 'record.emails',
  phones: 'record.phones',
  tags: 'tags.label',
  ownerId: 'record.owner',
  followerIds: 'record.followers',
  source: 'record.source',
  dnd: 'record.tab.dnd',
  customFields: 'record.tab.additional',
  avatarUrl: 'record.audit.field.avatarUrl',
};

/** The contact's audit log, newest first, with "load older" paging. Reloads when `version` changes. */
export class RecordAuditLog extends DossierElement {
  static override styles = [
    tokens,
    controls,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        border-left: 2px solid var(--_border);
        padding: 0 0 14px 14px;
        position: relative;
      }
      li::before {
        content: '';
        position: absolute;
        left: -6px;
        top: 4px;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--_accent);
      }
      .head {
        font-weight: 600;
      }
      .meta {
        color: var(--_muted);
        font-size: 0.9em;
      }
      dl {
        display: grid;
        grid-template-columns: minmax(90px, max-content) 1fr;
        gap: 2px 12px;
        margin: 6px 0 0;
        font-size: 0.92em;
      }
      dt {
        color: var(--_muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      del {
        color: var(--_danger);
      }
      ins {
        text-decoration: none;
        color: var(--_success);
      }
    `,
  ];

  @property({ attribute: false }) contactId = '';
  @property({ attribute: false }) version = 0;
  @property({ attribute: false }) members: MemberJson[] = [];
  @property({ attribute: false }) fields: CustomFieldJson[] = [];
  @state() private items: AuditEventJson[] = [];
  @state() private cursor: string | null = null;
  @state() private moreError = '';

  private first = new Task(this, {
    args: () => [this.dossier, this.contactId, this.version] as const,
    task: async ([client, id], { signal }) => {
      if (!client || !id) return;
      const page = await unwrap(client.api.api.v1.contacts[':id'].audit.$get({ param: { id }, query: { limit: '25' } }, { init: { signal } }));
      this.items = page.items as AuditEventJson[];
      this.cursor = page.nextCursor;
    },
  });

  private async more() {
    const client = this.dossier;
    if (!client || !this.cursor) return;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].audit.$get({ param: { id: this.contactId }, query: { limit: '25', cursor: this.cursor } }));
      this.items = [...this.items, ...(page.items as AuditEventJson[])];
      this.cursor = page.nextCursor;
      this.moreError = '';
    } catch (err) {
      this.moreError = (err as Error).message;
    }
  }

  /** Known actions have a message; others (added by later features) show their name. */
  private actionTitle(action: string) {
    const key = `record.audit.${action}`;
    const text = t(key);
    return text === key ? action.replace(/[._]/g, ' ') : text;
  }

  private actor(e: AuditEventJson) {
    if (e.actor.type === 'member') return e.actor.name ?? this.members.find((m) => m.id === e.actor.id)?.name ?? '—';
    return t(`record.audit.actor.${e.actor.type}`);
  }

  /** A changed field as the record labels it ("First name"), not its API key. */
  private fieldLabel(field: string): string {
    const key = FIELD_LABELS[field];
    return key ? t(key) : field.startsWith('customFields.') ? this.fields.find((f) => f.key === field.slice(13))?.label ?? field : field;
  }

  private show(field: string, value: unknown): string {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return t('record.audit.empty-value');
    if (field === 'ownerId' || field === 'followerIds') {
      const ids = Array.isArray(value) ? value : [value];
      return ids.map((id) => this.members.find((m) => m.id === id)?.name ?? String(id)).join(', ');
    }
    // Phones as people read them (`display`, recorded since the server sends it), else the stored value.
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v ? (v as { display?: string; value?: string }).display ?? (v as { value?: string }).value ?? JSON.stringify(v) : String(v))).join(', ');
    if (typeof value === 'object') {
      return Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== false && v !== null)
        .map(([k, v]) => (v === true ? k : `${this.fields.find((f) => f.key === k)?.label ?? k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`))
        .join(', ') || t('record.audit.empty-value');
    }
    if (typeof value === 'number' && field.endsWith('At')) return formatDateTime(value);
    return String(value);
  }

  protected override render() {
    return this.first.render({
      pending: () => (this.items.length ? this.renderList() : html`<dossier-state kind="loading"></dossier-state>`),
      error: (err) => html`<dossier-state kind="error" message=${(err as Error).message} retryable @retry=${() => this.first.run()}></dossier-state>`,
      complete: () => this.renderList(),
      initial: () => html`<dossier-state kind="loading"></dossier-state>`,
    });
  }

  private renderList() {
    if (!this.items.length) return html`<dossier-state kind="empty" heading=${t('record.audit.empty')}></dossier-state>`;
    return html`<ol aria-label=${t('record.tab.audit')}>
        ${this.items.map(
          (e) => html`<li>
            <div class="head">${this.actionTitle(e.action)}</div>
            <div class="meta">${t('record.audit.by', { actor: this.actor(e) })} · <time datetime=${new Date(e.at).toISOString()} title=${formatDateTime(e.at)}>${formatRelative(e.at)}</time></div>
            ${e.action === 'contact.updated'
              ? html`<dl>
                  ${Object.entries(e.changes).map(
                    ([field, change]) => html`<dt>${this.fieldLabel(field)}</dt>
                      <dd><del>${this.show(field, change.before)}</del> → <ins>${this.show(field, change.after)}</ins></dd>`,
                  )}
                </dl>`
              : nothing}
          </li>`,
        )}
      </ol>
      ${this.moreError ? html`<p class="field-error" role="alert">${this.moreError}</p>` : nothing}
      ${this.cursor ? html`<button class="btn" @click=${() => this.more()}>${t('record.audit.more')}</button>` : nothing}`;
  }
}
define('record-audit-log', RecordAuditLog);
