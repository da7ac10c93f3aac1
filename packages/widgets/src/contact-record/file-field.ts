// A `file` custom field in the record's Additional tab (loaded on first use): the files in the field, each with
// preview, download and remove, and an upload control. Its uploads are the contact's internal documents in the
// field's "Custom fields" folder; the server keeps the field's value (their ids), so after an upload the record
// reloads the contact through the client's bus, and Remove is an ordinary save of the value by the record.
import { Task } from '@lit/task';
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { formatBytes } from '../../../core/src/format.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { DocumentJson } from '../../../core/src/types.js';
import '../contact-documents/document-preview.js';
import { EXTENSIONS, kindLabel } from '../contact-documents/kinds.js';
import '../contact-documents/messages.js';
import { checkFile, dropZone, uploadFile } from '../contact-documents/upload-request.js';

addMessages('en', {
  'fileField.none': 'No files',
  'fileField.add': 'Add files',
  'fileField.drop': 'or drop them here',
  'fileField.download': 'Download {name}',
  'fileField.remove': 'Remove {name} from {field}',
  'fileField.uploading': 'Uploading {name}',
  'fileField.cancel': 'Cancel upload of {name}',
  'fileField.dismiss': 'Dismiss',
  'fileField.retry': 'Retry',
  'fileField.failed': '{name}: {message}',
});

interface Upload {
  file: File;
  loaded: number;
  error?: string;
  retryable?: boolean;
  xhr?: XMLHttpRequest;
}

/**
 * @fires remove - The user removed a file from the field: `detail` is the document id (the record saves the new value).
 */
export class RecordFileField extends DossierElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      :host {
        display: grid;
        gap: 6px;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 4px;
      }
      li {
        display: flex;
        align-items: center;
        gap: 6px;
        min-width: 0;
      }
      .name {
        min-width: 0;
        border: 0;
        background: none;
        padding: 0;
        color: var(--_accent);
        text-decoration: underline;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .meta,
      .none {
        flex: none;
        color: var(--_muted);
        font-size: 0.88em;
      }
      .meta {
        margin-inline-end: auto;
      }
      progress {
        flex: 1;
        min-width: 60px;
        accent-color: var(--_accent);
      }
      .err {
        color: var(--_danger);
        flex-wrap: wrap;
      }
      .add {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 6px;
        border: 1px dashed var(--_border);
        border-radius: var(--_radius-sm);
      }
      .add.over {
        border-color: var(--_accent);
        background: var(--_accent-soft);
      }
      dialog {
        --_dialog-width: min(760px, 94vw);
        padding: 0;
      }
    `,
  ];

  @property({ attribute: false }) contactId = '';
  /** The field's key and label. */
  @property({ attribute: false }) key = '';
  @property({ attribute: false }) label = '';
  /** The field's value: the ids of the documents in it. */
  @property({ attribute: false }) ids: string[] = [];
  /** May remove files (contacts.edit on a live contact). */
  @property({ type: Boolean }) editable = false;
  /** May also upload (documents.upload). */
  @property({ type: Boolean }) upload = false;
  @state() private uploads: Upload[] = [];
  @state() private previewing: DocumentJson | null = null;
  @state() private over = false;
  @state() private error = '';
  @query('input[type=file]') private input!: HTMLInputElement;
  @query('dialog') private dialog?: HTMLDialogElement;
  /** Documents an upload just created, shown until the reloaded value lists them. */
  private fresh: DocumentJson[] = [];

  private files = new Task(this, {
    args: () => [this.dossier, this.contactId, this.key, this.ids.join()] as const,
    task: async ([client, id, key], { signal }) => {
      if (!client || !id || !this.ids.length) return [] as DocumentJson[];
      const query = { field: key, limit: '50', sort: 'date', dir: 'asc' };
      const page = (await unwrap(client.api.api.v1.contacts[':id'].documents.$get({ param: { id }, query: query as never }, { init: { signal } }))) as { items: DocumentJson[] };
      this.fresh = this.fresh.filter((d) => !this.ids.includes(d.id));
      return page.items.filter((d) => this.ids.includes(d.id));
    },
  });

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const u of this.uploads) u.xhr?.abort();
  }

  private add(files: File[]) {
    for (const file of files) {
      const error = checkFile(file);
      const item: Upload = { file, loaded: 0, error: error ?? undefined };
      this.uploads = [...this.uploads, item];
      if (!error) void this.send(item);
    }
  }

  private patchUpload(item: Upload, patch: Partial<Upload>) {
    Object.assign(item, patch);
    this.uploads = [...this.uploads];
  }

  private async send(item: Upload) {
    const client = this.dossier;
    if (!client) return;
    this.patchUpload(item, { loaded: 0, error: undefined });
    const fields = { section: 'internal', fieldKey: this.key };
    const result = await uploadFile(client, this.contactId, item.file, fields, (loaded) => this.patchUpload(item, { loaded }), (xhr) => (item.xhr = xhr));
    item.xhr = undefined;
    if (result.items) {
      this.fresh = [...this.fresh, ...result.items];
      this.uploads = this.uploads.filter((u) => u !== item);
      // The server changed the field's value: the record (and any table row) reload the contact.
      client.publish({ type: 'contact-saved', id: this.contactId, source: this });
    } else if (result.cancelled) {
      this.uploads = this.uploads.filter((u) => u !== item);
    } else {
      this.patchUpload(item, { error: result.error, retryable: result.retryable });
    }
  }

  private async download(d: DocumentJson) {
    try {
      const { url } = await unwrap(this.dossier!.api.api.v1.documents[':id'].link.$post({ param: { id: d.id }, json: {} }));
      const a = document.createElement('a');
      a.href = url;
      a.download = '';
      a.click();
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
      this.reportError(err as Error, 'download-document');
    }
  }

  private async preview(d: DocumentJson) {
    this.previewing = d;
    await this.updateComplete;
    this.dialog?.showModal();
  }

  private closePreview() {
    const id = this.previewing?.id;
    this.dialog?.close();
    this.previewing = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"] .name`)?.focus());
  }

  private drop = dropZone((over) => (this.over = over), (files) => this.add(files));

  protected override render() {
    const listed = [...(this.files.value ?? []), ...this.fresh.filter((d) => !this.files.value?.some((x) => x.id === d.id))];
    return html`${this.files.render({
        pending: () => (listed.length || !this.ids.length ? nothing : html`<dossier-state kind="loading"></dossier-state>`),
        error: (err) => html`<p class="err" role="alert">${(err as Error).message} <button class="btn" @click=${() => this.files.run()}>${t('state.retry')}</button></p>`,
        complete: () => nothing,
      })}
      ${listed.length ? html`<ul>${listed.map((d) => this.renderFile(d))}</ul>` : this.uploads.length || this.ids.length ? nothing : html`<span class="none">${t('fileField.none')}</span>`}
      ${this.uploads.length ? html`<ul>${this.uploads.map((u) => this.renderUpload(u))}</ul>` : nothing}
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      ${this.upload
        ? html`<div class="add ${this.over ? 'over' : ''}" @dragenter=${this.drop.over} @dragover=${this.drop.over} @dragleave=${this.drop.leave} @drop=${this.drop.drop}>
            <button class="btn" @click=${() => this.input.click()}><span aria-hidden="true">+</span> ${t('fileField.add')}</button>
            <span class="none">${t('fileField.drop')}</span>
            <input type="file" multiple hidden accept=${EXTENSIONS.map((e) => `.${e}`).join(',')} aria-label=${`${this.label}: ${t('fileField.add')}`}
              @change=${() => (this.add([...(this.input.files ?? [])]), (this.input.value = ''))} />
          </div>`
        : nothing}
      ${this.previewing
        ? html`<dialog aria-label=${this.previewing.name} @close=${() => (this.previewing = null)}>
            <documents-preview .client=${this.dossier} .document=${this.previewing} @close=${this.closePreview} @download=${() => this.download(this.previewing!)}></documents-preview>
          </dialog>`
        : nothing}`;
  }

  private renderFile(d: DocumentJson) {
    return html`<li data-id=${d.id}>
      <button class="name" title=${d.name} @click=${() => this.preview(d)}>${d.name}</button>
      <span class="meta">${kindLabel(d.kind)} · ${formatBytes(d.size)}</span>
      <button class="icon-btn" aria-label=${t('fileField.download', { name: d.name })} title=${t('fileField.download', { name: d.name })} @click=${() => this.download(d)}><span aria-hidden="true">⤓</span></button>
      ${this.editable
        ? html`<button class="icon-btn remove" aria-label=${t('fileField.remove', { name: d.name, field: this.label })} title=${t('fileField.remove', { name: d.name, field: this.label })}
            @click=${() => this.dispatchEvent(new CustomEvent('remove', { detail: d.id }))}><span aria-hidden="true">×</span></button>`
        : nothing}
    </li>`;
  }

  private renderUpload(u: Upload) {
    const name = u.file.name;
    if (u.error) {
      return html`<li class="err"><span role="alert">${t('fileField.failed', { name, message: u.error })}</span>
        ${u.retryable ? html`<button class="btn" @click=${() => this.send(u)}>${t('fileField.retry')}</button>` : nothing}
        <button class="icon-btn" aria-label=${t('fileField.dismiss')} @click=${() => (this.uploads = this.uploads.filter((x) => x !== u))}><span aria-hidden="true">×</span></button></li>`;
    }
    const percent = u.file.size ? Math.min(100, Math.round((u.loaded / u.file.size) * 100)) : 0;
    return html`<li>
      <span class="meta" title=${name}>${name}</span>
      <progress max="100" value=${percent} aria-label=${t('fileField.uploading', { name })}></progress>
      <button class="icon-btn" aria-label=${t('fileField.cancel', { name })} @click=${() => u.xhr?.abort()}><span aria-hidden="true">×</span></button>
    </li>`;
  }
}
define('record-file-field', RecordFileField);

declare global {
  interface HTMLElementTagNameMap {
    'record-file-field': RecordFileField;
  }
}
