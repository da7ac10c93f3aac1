// The "Add documents" dialog of <contact-documents>, loaded on first use. One request per file (XMLHttpRequest,
// for upload progress), so each file has its own progress bar, Cancel and Retry.
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { formatBytes } from '../../../core/src/format.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { DocumentJson } from '../../../core/src/types.js';
import { EXTENSIONS, SECTIONS, type Section } from './kinds.js';
import { checkFile, dropZone, uploadFile } from './upload-request.js';

addMessages('en', {
  'upload.title': 'Add documents',
  'upload.section': 'Section',
  'upload.drop': 'Drag and drop files here, or',
  'upload.choose': 'Choose files',
  'upload.hint': 'PDF, Word, PowerPoint, Excel, CSV, text, PNG, JPG, GIF or WEBP; up to 250 MB each.',
  'upload.share': 'Share on the client portal',
  'upload.files': 'Files to upload',
  'upload.start': 'Upload',
  'upload.done': 'Done',
  'upload.cancel': 'Cancel upload of {name}',
  'upload.retry': 'Retry',
  'upload.retryLabel': 'Retry upload of {name}',
  'upload.remove': 'Remove {name}',
  'upload.progress': 'Uploading {name}',
  'upload.status.ready': 'Ready',
  'upload.status.uploading': '{percent}%',
  'upload.status.done': 'Uploaded',
  'upload.status.cancelled': 'Cancelled',
});

export type UploadStatus = 'ready' | 'invalid' | 'uploading' | 'done' | 'failed' | 'cancelled';
export interface UploadItem {
  key: number;
  file: File;
  status: UploadStatus;
  loaded: number;
  error?: string;
  /** A failure that trying again may get past (connection, server trouble); a refusal of the file itself is not. */
  retryable?: boolean;
  xhr?: XMLHttpRequest;
}

let keys = 0;

/**
 * @fires uploaded - `detail`: the documents one file created (fired once per file).
 * @fires close - The dialog closed.
 */
export class DocumentsUpload extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(560px, 94vw);
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.15em;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0 0 12px;
        display: flex;
        gap: 12px;
        flex-wrap: wrap;
      }
      fieldset label,
      .actions label {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        color: var(--_text);
      }
      input[type='radio'],
      input[type='checkbox'] {
        min-height: 0;
        margin: 0;
      }
      legend {
        color: var(--_muted);
        margin-bottom: 4px;
      }
      .drop {
        display: grid;
        justify-items: center;
        gap: 6px;
        padding: 20px;
        border: 2px dashed var(--_border);
        border-radius: var(--_radius);
        text-align: center;
      }
      .drop.over {
        border-color: var(--_accent);
        background: var(--_accent-soft);
      }
      .hint {
        color: var(--_muted);
        font-size: 0.88em;
      }
      ul {
        list-style: none;
        margin: 12px 0;
        padding: 0;
        display: grid;
        gap: 8px;
        max-height: 40vh;
        overflow: auto;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 2px 8px;
        align-items: center;
        padding: 8px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius-sm);
      }
      .file {
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .status {
        color: var(--_muted);
        font-size: 0.88em;
      }
      progress {
        grid-column: 1 / -1;
        width: 100%;
        height: 6px;
        accent-color: var(--_accent);
      }
      .err {
        grid-column: 1 / -1;
        color: var(--_danger);
        font-size: 0.9em;
        margin: 0;
      }
      .buttons {
        display: flex;
        gap: 4px;
      }
      .actions {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        flex-wrap: wrap;
        margin-top: 12px;
      }
      .actions div {
        display: flex;
        gap: 8px;
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contactId = '';
  @property() section: Section = 'internal';
  @property({ type: Boolean }) share = false;
  @property({ attribute: false }) items: UploadItem[] = [];
  @state() private over = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('input[type=file]') private input!: HTMLInputElement;
  private running = false;

  protected override firstUpdated() {
    this.dialog.showModal();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const item of this.items) item.xhr?.abort();
  }

  /** Queues files; the ones that would be refused are shown with the reason and not sent. */
  add(files: File[]) {
    const added = files.map((file): UploadItem => {
      const error = checkFile(file);
      return { key: ++keys, file, status: error ? 'invalid' : 'ready', loaded: 0, error: error ?? undefined };
    });
    this.items = [...this.items, ...added];
  }

  private update_(item: UploadItem, patch: Partial<UploadItem>) {
    Object.assign(item, patch);
    this.items = [...this.items];
  }

  async start() {
    if (this.running) return;
    this.running = true;
    try {
      let next: UploadItem | undefined;
      while ((next = this.items.find((i) => i.status === 'ready'))) await this.send(next);
    } finally {
      this.running = false;
    }
  }

  private async send(item: UploadItem): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.update_(item, { status: 'uploading', loaded: 0, error: undefined });
    const fields = { section: this.section, shareOnPortal: String(this.share) };
    const result = await uploadFile(client, this.contactId, item.file, fields, (loaded) => this.update_(item, { loaded }), (xhr) => (item.xhr = xhr));
    item.xhr = undefined;
    if (result.cancelled) return this.update_(item, { status: 'cancelled' });
    if (result.items) {
      this.update_(item, { status: 'done', loaded: item.file.size });
      this.dispatchEvent(new CustomEvent('uploaded', { detail: result.items }));
      return;
    }
    this.update_(item, { status: 'failed', error: result.error, retryable: result.retryable });
  }

  private cancel(item: UploadItem) {
    item.xhr?.abort();
  }

  private retry(item: UploadItem) {
    this.update_(item, { status: 'ready', error: undefined });
    void this.start();
  }

  private removeItem(item: UploadItem) {
    this.items = this.items.filter((i) => i !== item);
  }

  close() {
    for (const item of this.items) item.xhr?.abort();
    if (this.dialog.open) this.dialog.close();
  }

  private drop = dropZone((over) => (this.over = over), (files) => this.add(files));

  protected override render() {
    const ready = this.items.some((i) => i.status === 'ready');
    const busy = this.items.some((i) => i.status === 'uploading');
    // Something went up and nothing is left to send: the dialog's job is done.
    const finished = !ready && !busy && this.items.some((i) => i.status === 'done');
    return html`<dialog aria-labelledby="title" @close=${() => this.dispatchEvent(new Event('close'))}>
      <h2 id="title">${t('upload.title')}</h2>
      <fieldset>
        <legend>${t('upload.section')}</legend>
        ${SECTIONS.map(
          (s) => html`<label><input type="radio" name="section" value=${s} .checked=${this.section === s} ?disabled=${busy} @change=${() => (this.section = s)} /> ${t(`docs.section.${s}`)}</label>`,
        )}
      </fieldset>
      <div class="drop ${this.over ? 'over' : ''}" @dragenter=${this.drop.over} @dragover=${this.drop.over} @dragleave=${this.drop.leave} @drop=${this.drop.drop}>
        <span>${t('upload.drop')}</span>
        <button class="btn" @click=${() => this.input.click()}>${t('upload.choose')}</button>
        <input type="file" multiple hidden accept=${EXTENSIONS.map((e) => `.${e}`).join(',')} aria-label=${t('upload.choose')}
          @change=${() => (this.add([...(this.input.files ?? [])]), (this.input.value = ''))} />
        <span class="hint">${t('upload.hint')}</span>
      </div>
      ${this.items.length ? html`<ul aria-label=${t('upload.files')}>${this.items.map((i) => this.renderItem(i))}</ul>` : nothing}
      <div class="actions">
        <label><input type="checkbox" .checked=${this.share} @change=${(e: Event) => (this.share = (e.target as HTMLInputElement).checked)} /> ${t('upload.share')}</label>
        <div>
          ${finished
            ? html`<button class="btn primary done" @click=${() => this.close()}>${t('upload.done')}</button>`
            : html`<button class="btn" @click=${() => this.close()}>${t('action.cancel')}</button>
                <button class="btn primary start" ?disabled=${!ready || busy} @click=${() => this.start()}>${t('upload.start')}</button>`}
        </div>
      </div>
    </dialog>`;
  }

  private renderItem(item: UploadItem) {
    const name = item.file.name;
    const percent = item.file.size ? Math.min(100, Math.round((item.loaded / item.file.size) * 100)) : 0;
    const status = item.status === 'uploading' ? t('upload.status.uploading', { percent }) : item.status === 'invalid' || item.status === 'failed' ? '' : t(`upload.status.${item.status}`);
    return html`<li data-status=${item.status}>
      <div class="file" title=${name}>${name} <span class="status">· ${formatBytes(item.file.size)} ${status ? html`· <span role="status">${status}</span>` : nothing}</span></div>
      <div class="buttons">
        ${item.status === 'uploading' ? html`<button class="btn cancel" aria-label=${t('upload.cancel', { name })} @click=${() => this.cancel(item)}>${t('action.cancel')}</button>` : nothing}
        ${(item.status === 'failed' && item.retryable) || item.status === 'cancelled' ? html`<button class="btn retry" aria-label=${t('upload.retryLabel', { name })} @click=${() => this.retry(item)}>${t('upload.retry')}</button>` : nothing}
        ${item.status !== 'uploading' && item.status !== 'done' ? html`<button class="icon-btn remove" aria-label=${t('upload.remove', { name })} @click=${() => this.removeItem(item)}>×</button>` : nothing}
      </div>
      ${item.status === 'uploading' || item.status === 'done' ? html`<progress max="100" value=${percent} aria-label=${t('upload.progress', { name })}></progress>` : nothing}
      ${item.error ? html`<p class="err" role="alert">${item.error}</p>` : nothing}
    </li>`;
  }
}
define('documents-upload', DocumentsUpload);

declare global {
  interface HTMLElementTagNameMap {
    'documents-upload': DocumentsUpload;
  }
}
