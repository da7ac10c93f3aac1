// The profile picture dialog (lazy): choose a picture (or drop one), crop it to the circle — drag and wheel with a
// pointer; arrow keys move and + / − zoom; a zoom slider —, see it at the sizes it will show, and Save uploads it at
// once; Remove picture takes it away. The picture is decoded with createImageBitmap and drawn on canvases, so no
// blob: URL or style attribute is needed (strict CSP); the server re-encodes what is sent.
import { css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { DossierApiError, unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { ContactJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-avatar.js';
import { clamp, initialCrop, MAX_ZOOM, move, sourceRect, zoomOf, zoomTo, type Crop } from './avatar-crop.js';
import './avatar-messages.js';

const TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
/** Side of the square sent to the server (it stores 256 × 256: twice that keeps it sharp after re-encoding). */
const OUTPUT_PX = 512;
/** One arrow key press moves the picture by this share of the viewport (Shift: five times more). */
const STEP = 0.02;
const ZOOM_STEP = 1.1;

export type AvatarDialogState = 'choose' | 'crop' | 'saving' | 'removing';

/** Internal: the picture dialog of one contact; `settle` is told the contact as saved, or null when nothing changed. */
export class DossierAvatarDialog extends DossierElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(400px, 94vw);
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      .choose {
        display: grid;
        justify-items: center;
        gap: 12px;
        padding: 16px;
        border: 2px dashed var(--_border);
        border-radius: var(--_radius);
        text-align: center;
      }
      .choose.over {
        border-color: var(--_focus);
      }
      .choose dossier-avatar {
        --dossier-avatar-size: 96px;
      }
      .hint,
      .help {
        margin: 0;
        color: var(--_muted);
        font-size: 0.85em;
      }
      .crop {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 12px;
        align-items: start;
      }
      .stage {
        display: block;
        width: 100%;
        max-width: 260px;
        aspect-ratio: 1;
        border-radius: 4px;
        background: #000;
        cursor: grab;
        touch-action: none;
      }
      .stage:active {
        cursor: grabbing;
      }
      .stage:focus-visible {
        outline: 3px solid var(--_focus);
        outline-offset: 2px;
      }
      .side {
        display: grid;
        justify-items: center;
        gap: 8px;
        font-size: 0.85em;
        color: var(--_muted);
      }
      .previews {
        display: flex;
        align-items: center;
        gap: 8px;
      }
      .preview {
        border-radius: 50%;
      }
      .p48 {
        width: 48px;
        height: 48px;
      }
      .p28 {
        width: 28px;
        height: 28px;
      }
      .zoom,
      .help {
        grid-column: 1 / -1;
        justify-self: stretch;
      }
      .zoom {
        display: grid;
        gap: 4px;
        margin-top: 8px;
      }
      .zoom input {
        width: 100%;
        accent-color: var(--_accent);
      }
      .error {
        margin: 12px 0 0;
        color: var(--_danger);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        margin-top: 16px;
      }
      .actions .end {
        margin-inline-start: auto;
        display: flex;
        gap: 8px;
      }
      @media (max-width: 420px) {
        .crop {
          grid-template-columns: 1fr;
          justify-items: center;
        }
      }
    `,
  ];

  /** The API client (default: the provider's, from context). */
  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) contact?: ContactJson;
  /** The state shown (Storybook sets it with `crop` to render the states without a server). */
  @state() state: AvatarDialogState = 'choose';
  @state() crop: Crop | null = null;
  @state() error = '';
  @state() private over = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.stage') private stage?: HTMLCanvasElement;
  @query('input[type=file]') private input!: HTMLInputElement;
  /** The decoded picture being cropped. */
  picture: ImageBitmap | HTMLCanvasElement | null = null;
  settle: (contact: ContactJson | null) => void = () => undefined;
  private drag: { id: number; x: number; y: number } | null = null;

  async open(file?: File) {
    await this.updateComplete;
    this.dialog.showModal();
    if (file) await this.take(file);
  }

  private close(result: ContactJson | null) {
    if (this.dialog.open) this.dialog.close();
    this.settle(result);
    this.settle = () => undefined;
    this.picture = null;
    this.remove();
  }

  /** Decodes a chosen or dropped file; a file that is not a picture says so in place. */
  async take(file: File) {
    this.error = '';
    if (!TYPES.includes(file.type)) return void (this.error = t('avatar.notImage', { name: file.name }));
    try {
      const bitmap = await createImageBitmap(file);
      this.picture = bitmap;
      this.crop = initialCrop(bitmap.width, bitmap.height);
      this.state = 'crop';
      await this.updateComplete;
      this.stage?.focus();
    } catch {
      this.error = t('avatar.unreadable', { name: file.name });
    }
  }

  protected override updated(changed: PropertyValues<this>) {
    super.updated(changed);
    this.draw();
  }

  /** Draws the crop area (the picture, darkened outside the circle) and the previews. */
  private draw() {
    const { picture, crop } = this;
    if (!picture || !crop) return;
    const stage = this.stage;
    if (stage) {
      const side = Math.round((stage.clientWidth || 260) * (globalThis.devicePixelRatio || 1));
      if (stage.width !== side) [stage.width, stage.height] = [side, side];
      const g = stage.getContext('2d')!;
      g.clearRect(0, 0, side, side);
      g.drawImage(picture, crop.x * side, crop.y * side, crop.width * crop.scale * side, crop.height * crop.scale * side);
      g.fillStyle = 'rgb(0 0 0 / 0.55)';
      g.beginPath();
      g.rect(0, 0, side, side);
      g.arc(side / 2, side / 2, side / 2 - 1, 0, Math.PI * 2);
      g.fill('evenodd');
      g.strokeStyle = 'rgb(255 255 255 / 0.9)';
      g.lineWidth = Math.max(1, side / 200);
      g.beginPath();
      g.arc(side / 2, side / 2, side / 2 - 1, 0, Math.PI * 2);
      g.stroke();
    }
    for (const preview of this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas.preview')) this.paint(preview, Math.round((preview.clientWidth || 48) * (globalThis.devicePixelRatio || 1)));
  }

  /** Paints the kept square on a canvas of `side` pixels. */
  private paint(canvas: HTMLCanvasElement, side: number) {
    const { sx, sy, size } = sourceRect(this.crop!);
    if (canvas.width !== side) [canvas.width, canvas.height] = [side, side];
    const g = canvas.getContext('2d')!;
    g.imageSmoothingQuality = 'high';
    g.clearRect(0, 0, side, side);
    g.drawImage(this.picture!, sx, sy, size, size, 0, 0, side, side);
  }

  private set(next: Crop) {
    this.crop = clamp(next);
  }

  private onKey(e: KeyboardEvent) {
    const c = this.crop;
    if (!c) return;
    const step = e.shiftKey ? STEP * 5 : STEP;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    // The arrow says where the view goes over the picture (as a viewfinder does): the picture moves the other way.
    if (e.key in moves) this.set(move(c, ...moves[e.key]!));
    else if (e.key === '+' || e.key === '=') this.set(zoomTo(c, zoomOf(c) * ZOOM_STEP));
    else if (e.key === '-' || e.key === '_') this.set(zoomTo(c, zoomOf(c) / ZOOM_STEP));
    else if (e.key === 'Home') this.set(initialCrop(c.width, c.height));
    else return;
    e.preventDefault();
  }

  private onPointerDown(e: PointerEvent) {
    if (!this.crop) return;
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY };
  }

  private onPointerMove(e: PointerEvent) {
    const drag = this.drag;
    if (!drag || drag.id !== e.pointerId || !this.crop) return;
    const side = (e.currentTarget as HTMLElement).clientWidth || 1;
    this.set(move(this.crop, (e.clientX - drag.x) / side, (e.clientY - drag.y) / side));
    this.drag = { ...drag, x: e.clientX, y: e.clientY };
  }

  private onWheel(e: WheelEvent) {
    if (!this.crop) return;
    e.preventDefault();
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const factor = Math.exp(-e.deltaY / 300);
    this.set(zoomTo(this.crop, zoomOf(this.crop) * factor, (e.clientX - box.left) / box.width, (e.clientY - box.top) / box.height));
  }

  /** Uploads the kept square at once; on failure the crop stays and the reason shows in place. */
  async save() {
    const { contact } = this;
    const client = this.client ?? this.dossier;
    if (!client || !contact || !this.crop || !this.picture) return;
    this.state = 'saving';
    this.error = '';
    try {
      const canvas = document.createElement('canvas');
      this.paint(canvas, OUTPUT_PX);
      const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error(t('avatar.unreadable', { name: '' })))), 'image/webp', 0.92));
      const updated = await unwrap(
        client.api.api.v1.contacts[':id'].avatar.$put({ param: { id: contact.id } }, { init: { body: blob, headers: { 'content-type': blob.type } } }),
      );
      this.close(updated as ContactJson);
    } catch (err) {
      this.state = 'crop';
      this.error = t('avatar.saveFailed', { message: (err as Error).message });
      this.report(err, 'save-avatar');
    }
  }

  async removePicture() {
    const { contact } = this;
    const client = this.client ?? this.dossier;
    if (!client || !contact) return;
    const back = this.state;
    this.state = 'removing';
    this.error = '';
    try {
      const updated = await unwrap(client.api.api.v1.contacts[':id'].avatar.$delete({ param: { id: contact.id } }));
      this.close(updated as ContactJson);
    } catch (err) {
      this.state = back;
      this.error = t('avatar.removeFailed', { message: (err as Error).message });
      this.report(err, 'remove-avatar');
    }
  }

  /** Tells the host too (`dossier-error`, as every failure a widget shows). */
  private report(err: unknown, action: string) {
    this.reportError(err instanceof Error ? err : new DossierApiError(0, 'error', String(err)), action);
  }

  private onDrop(e: DragEvent) {
    e.preventDefault();
    this.over = false;
    const file = e.dataTransfer?.files[0];
    if (file) void this.take(file);
  }

  protected override render() {
    const busy = this.state === 'saving' || this.state === 'removing';
    const cropping = this.state === 'crop' || this.state === 'saving';
    const c = this.contact;
    const name = c?.name ?? '';
    return html`<dialog aria-labelledby="avatar-h" @cancel=${(e: Event) => (busy ? e.preventDefault() : this.close(null))}>
      <h2 id="avatar-h">${t('avatar.title')}</h2>
      <input type="file" hidden accept=${TYPES.join(',')} @change=${(e: Event) => {
        const input = e.target as HTMLInputElement;
        const file = input.files?.[0];
        input.value = '';
        if (file) void this.take(file);
      }} />
      ${cropping && this.crop ? this.renderCrop(this.crop) : html`<div
            class="choose ${this.over ? 'over' : ''}"
            @dragover=${(e: DragEvent) => {
              e.preventDefault();
              this.over = true;
            }}
            @dragleave=${() => (this.over = false)}
            @drop=${(e: DragEvent) => this.onDrop(e)}
          >
            <dossier-avatar .name=${name} .src=${c?.avatarUrl ?? null}></dossier-avatar>
            <button class="btn primary" ?disabled=${busy} @click=${() => this.input.click()}>${t('avatar.choose')}</button>
            <p class="hint">${t('avatar.dropHint')}</p>
          </div>`}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="actions">
        ${c?.avatarUrl
          ? html`<button class="btn danger" ?disabled=${busy} @click=${() => void this.removePicture()}>${this.state === 'removing' ? t('avatar.removing') : t('avatar.remove')}</button>`
          : nothing}
        <span class="end">
          <button class="btn" ?disabled=${busy} @click=${() => this.close(null)}>${t('action.cancel')}</button>
          ${cropping
            ? html`<button class="btn primary" ?disabled=${busy} @click=${() => void this.save()}>${this.state === 'saving' ? t('avatar.saving') : t('avatar.save')}</button>`
            : nothing}
        </span>
      </div>
    </dialog>`;
  }

  private renderCrop(crop: Crop) {
    const zoom = zoomOf(crop);
    return html`<div class="crop" @dragover=${(e: DragEvent) => e.preventDefault()} @drop=${(e: DragEvent) => this.onDrop(e)}>
      <canvas
        class="stage"
        tabindex="0"
        role="img"
        aria-label=${t('avatar.cropArea')}
        aria-describedby="crop-help"
        @keydown=${(e: KeyboardEvent) => this.onKey(e)}
        @pointerdown=${(e: PointerEvent) => this.onPointerDown(e)}
        @pointermove=${(e: PointerEvent) => this.onPointerMove(e)}
        @pointerup=${() => (this.drag = null)}
        @pointercancel=${() => (this.drag = null)}
        @wheel=${(e: WheelEvent) => this.onWheel(e)}
      ></canvas>
      <div class="side">
        <span>${t('avatar.preview')}</span>
        <div class="previews">
          <canvas class="preview p48" aria-hidden="true"></canvas>
          <canvas class="preview p28" aria-hidden="true"></canvas>
        </div>
        <button class="btn" ?disabled=${this.state === 'saving'} @click=${() => this.input.click()}>${t('avatar.chooseOther')}</button>
      </div>
      <label class="zoom">
        <span>${t('avatar.zoom')}</span>
        <input type="range" min="1" max=${MAX_ZOOM} step="0.01" .value=${String(zoom)} @input=${(e: Event) => this.set(zoomTo(crop, Number((e.target as HTMLInputElement).value)))} />
      </label>
      <p class="help" id="crop-help">${t('avatar.cropHelp')}</p>
    </div>`;
  }
}
define('dossier-avatar-dialog', DossierAvatarDialog);

/** Opens the picture dialog in `root` (the record's shadow root: it takes the record's theme); `file` starts with it. */
export function openAvatarDialog(root: Node, opts: { client: DossierClient; contact: ContactJson; file?: File }): Promise<ContactJson | null> {
  const dialog = document.createElement('dossier-avatar-dialog');
  dialog.client = opts.client;
  dialog.contact = opts.contact;
  (root as ParentNode).append(dialog);
  return new Promise((resolve) => {
    dialog.settle = resolve;
    void dialog.open(opts.file);
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'dossier-avatar-dialog': DossierAvatarDialog;
  }
}
