// The record header's avatar as a button for those who may edit the contact: a click opens the picture dialog, a
// picture dropped on it opens the dialog with that picture to crop. Loaded with the record's panels (lazy); the
// dialog and its cropping code are a chunk of their own, loaded on first use.
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { define } from '../../../core/src/dossier-element.js';
import type { DossierClient } from '../../../core/src/client.js';
import { ContactChangeEvent } from '../../../core/src/events.js';
import { t } from '../../../core/src/i18n.js';
import type { ContactJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-avatar.js';
import type { ContactRecord } from './contact-record.js';
import './avatar-messages.js';

/** Internal: the avatar inside a button; `pick` is told of a click (no file) or a dropped file. */
export class DossierAvatarButton extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      border-radius: 50%;
    }
    button {
      display: block;
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: none;
      cursor: pointer;
      font: inherit;
    }
    button:focus-visible,
    :host([dragover]) button {
      outline: 2px solid var(--_focus, #4263eb);
      outline-offset: 2px;
    }
    /* The name comes from this text (the initials drawn inside are decoration). */
    .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    button:hover dossier-avatar {
      filter: brightness(0.9);
    }
  `;

  @property() name = '';
  @property() src: string | null = null;
  pick: (file?: File) => void = () => undefined;

  protected override render() {
    return html`<button
      part="avatar-button"
      title=${t('avatar.change', { name: this.name })}
      aria-haspopup="dialog"
      @click=${() => this.pick()}
      @dragover=${(e: DragEvent) => {
        e.preventDefault();
        this.toggleAttribute('dragover', true);
      }}
      @dragleave=${() => this.removeAttribute('dragover')}
      @drop=${(e: DragEvent) => {
        e.preventDefault();
        this.removeAttribute('dragover');
        const file = e.dataTransfer?.files[0];
        if (file) this.pick(file);
      }}
    ><dossier-avatar part="avatar" aria-hidden="true" .name=${this.name} .src=${this.src}></dossier-avatar><span class="label">${t('avatar.change', { name: this.name })}</span></button>`;
  }
}
define('dossier-avatar-button', DossierAvatarButton);

/** The header's avatar: a button that changes the picture when the member may edit the contact, else the picture. */
export function renderAvatar(host: ContactRecord, c: ContactJson, name: string) {
  if (!host.editable) return html`<dossier-avatar part="avatar" .name=${name} .src=${c.avatarUrl}></dossier-avatar>`;
  return html`<dossier-avatar-button exportparts="avatar, avatar-button" .name=${name} .src=${c.avatarUrl} .pick=${(file?: File) => void openPicture(host, file)}></dossier-avatar-button>`;
}

/** Opens the (lazy) picture dialog; a saved or removed picture shows in the record, the page's widgets and to the host. */
async function openPicture(host: ContactRecord, file?: File) {
  const client = (host as unknown as { dossier?: DossierClient }).dossier;
  const contact = host.contact;
  if (!client || !contact) return;
  const { openAvatarDialog } = await import('./avatar-dialog.js');
  const updated = await openAvatarDialog(host.renderRoot, { client, contact, file });
  if (!updated) return;
  await host.refresh(updated);
  client.publish({ type: 'contact-saved', id: updated.id, contact: updated, source: host });
  host.dispatchEvent(new ContactChangeEvent({ contact: updated, changed: ['avatarUrl'] }));
}

declare global {
  interface HTMLElementTagNameMap {
    'dossier-avatar-button': DossierAvatarButton;
  }
}
