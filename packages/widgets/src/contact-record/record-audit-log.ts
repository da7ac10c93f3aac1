import { Task } from '@lit/task';
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatDateTime, formatRelative } from '../../../core/src/format.js';
import { t } from '../../../core/src/i18n.js';
import { controls, tokens } from '../../../core/src/theme.js';
import type { AuditEventJson, CustomFieldJson, MemberJson } from '../../../core/src/types.js';
import { auditSentence } from './audit-sentences.js';

/**
 * The contact's audit log, newest first, with "load older" paging: one sentence per event saying who did what
 * (audit-sentences.ts). Reloads when `version` changes. Loaded with `import()` when its tab first opens.
 */
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
        border-inline-start: 2px solid var(--_border);
        padding: 0 0 14px;
        padding-inline-start: 14px;
        position: relative;
      }
      li::before {
        content: '';
        position: absolute;
        inset-inline-start: -6px;
        top: 4px;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--_accent);
      }
      .what {
        overflow-wrap: anywhere;
      }
      time {
        display: block;
        color: var(--_muted);
        font-size: 0.9em;
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

  protected override render() {
    return this.first.render({
      pending: () => (this.items.length ? this.renderList() : html`<dossier-state kind="loading"></dossier-state>`),
      error: (err) => html`<dossier-state kind="error" message=${(err as Error).message} retryable @retry=${() => this.first.run()}></dossier-state>`,
      complete: () => this.renderList(),
      initial: () => html`<dossier-state kind="loading"></dossier-state>`,
    });
  }

  private renderList() {
    if (!this.items.length) return html`<dossier-state kind="empty" heading=${t('audit.empty')}></dossier-state>`;
    const subject = { contactId: this.contactId, members: this.members, fields: this.fields };
    return html`<ol aria-label=${t('record.tab.audit')}>
        ${this.items.map(
          (e) => html`<li>
            <div class="what">${auditSentence(e, subject)}</div>
            <time datetime=${new Date(e.at).toISOString()} title=${formatDateTime(e.at)}>${formatRelative(e.at)}</time>
          </li>`,
        )}
      </ol>
      ${this.moreError ? html`<p class="field-error" role="alert">${this.moreError}</p>` : nothing}
      ${this.cursor ? html`<button class="btn" @click=${() => this.more()}>${t('audit.more')}</button>` : nothing}`;
  }
}
define('record-audit-log', RecordAuditLog);
