// The "Manage pipelines" dialog (a lazy chunk, loaded on first use; for members with `pipelines.manage`): list the
// workspace's pipelines; create, rename and delete one; per pipeline add, rename, reorder (buttons, Alt+↑/↓) and delete
// its stages. Every change goes to the server at once; a refusal (a stage in use, the last stage, a name taken) shows
// where it happened and what was typed stays. `openPipelineDialog(root, { client })` resolves with whether anything changed.
import { css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { define, ThemedElement } from '../../../core/src/dossier-element.js';
import { plural, t } from '../../../core/src/i18n.js';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';
import type { PipelineJson } from '../../../core/src/types.js';
import './messages.js';
import './pipeline-messages.js';

type Stage = PipelineJson['stages'][number];

export class PipelineDialog extends ThemedElement {
  static override styles = [
    tokens,
    controls,
    dialogStyles,
    css`
      dialog {
        --_dialog-width: min(600px, 96vw);
        max-height: 94vh;
        box-sizing: border-box;
      }
      h2 {
        margin: 0 0 12px;
        font-size: 1.1em;
      }
      h3 {
        margin: 0;
        font-size: 1em;
      }
      .pipeline,
      .create {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 12px;
        margin: 0 0 12px;
      }
      .row {
        display: flex;
        gap: 6px;
        align-items: center;
        flex-wrap: wrap;
      }
      .row input {
        flex: 1 1 10em;
        min-width: 0;
      }
      ol {
        list-style: none;
        margin: 10px 0;
        padding: 0;
        display: grid;
        gap: 6px;
      }
      .pos {
        min-width: 1.6em;
        text-align: end;
        color: var(--_muted);
        font-variant-numeric: tabular-nums;
      }
      .count {
        color: var(--_muted);
        font-size: 0.9em;
        white-space: nowrap;
        min-width: 8.5em;
        text-align: end;
      }
      .pipeline > .row:first-child input {
        font-weight: 600;
      }
      [aria-disabled='true'] {
        opacity: 0.45;
        cursor: default;
      }
      .icon {
        min-width: 2.2em;
        padding-inline: 6px;
      }
      .danger {
        color: var(--_danger);
      }
      .field {
        display: grid;
        gap: 4px;
        margin-bottom: 10px;
      }
      textarea {
        min-height: 5em;
        resize: vertical;
        font: inherit;
      }
      .error {
        color: var(--_danger);
        font-size: 0.92em;
        margin: 4px 0 0;
      }
      [aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .muted {
        color: var(--_muted);
        font-size: 0.9em;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 8px;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      @media (max-width: 520px) {
        /* Name and buttons on one line, the count under the name. */
        .stage-row input {
          flex-basis: 5em;
        }
        .stage-row .count {
          order: 1;
          flex-basis: 100%;
          min-width: 0;
          text-align: start;
          padding-inline-start: 2.2em;
        }
        .stage-row .rename {
          order: 2;
          margin-inline-start: 2.2em;
        }
        .delete {
          margin-inline-start: auto;
        }
      }
    `,
  ];

  @property({ attribute: false }) client?: DossierClient;
  @property({ attribute: false }) pipelines: PipelineJson[] = [];
  /** True once anything was saved (the opener reloads then). */
  changed = false;

  /** What is typed, by key (`p:<pipelineId>` its name, `s:<stageId>` a stage's, `add:<pipelineId>` a new stage's, `new`, `newStages`). */
  @state() private drafts: Record<string, string> = {};
  /** Refusals shown in place, by the same keys. */
  @state() private errors: Record<string, string> = {};
  @state() private busy = false;
  @state() private announce = '';
  @query('dialog') private dialog!: HTMLDialogElement;

  show() {
    this.dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>(this.pipelines.length ? '.pipeline input' : '#pipe-new')?.focus();
  }

  private draft(key: string, saved = '') {
    return this.drafts[key] ?? saved;
  }

  private type(key: string, value: string) {
    this.drafts = { ...this.drafts, [key]: value };
    if (this.errors[key]) this.errors = { ...this.errors, [key]: '' };
  }

  private forget(...keys: string[]) {
    const drafts = { ...this.drafts };
    for (const k of keys) delete drafts[k];
    this.drafts = drafts;
  }

  private focusLater(selector: string) {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }

  /** One server call; on success the pipeline list takes its answer, on a refusal the message shows at `key`. */
  private async run<T>(key: string, call: (client: DossierClient) => Promise<T>, done: (result: T) => void): Promise<boolean> {
    const client = this.client;
    if (!client || this.busy) return false;
    this.busy = true;
    this.errors = { ...this.errors, [key]: '' };
    try {
      done(await call(client));
      this.changed = true;
      return true;
    } catch (err) {
      this.errors = { ...this.errors, [key]: (err as Error).message };
      this.focusLater(`[data-key="${key}"]`);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private put(p: PipelineJson) {
    this.pipelines = this.pipelines.map((x) => (x.id === p.id ? p : x));
  }

  private async rename(p: PipelineJson) {
    const name = this.draft(`p:${p.id}`, p.name).trim();
    if (!name) return void (this.errors = { ...this.errors, [`p:${p.id}`]: t('pipe.needName') });
    if (name === p.name) return;
    await this.run(`p:${p.id}`, (c) => unwrap(c.api.api.v1.pipelines[':id'].$patch({ param: { id: p.id }, json: { name } })), (saved) => {
      this.put(saved);
      this.forget(`p:${p.id}`);
      this.announce = t('pipe.saved');
    });
  }

  private async deletePipeline(p: PipelineJson) {
    const index = this.pipelines.indexOf(p);
    await this.run(`p:${p.id}`, (c) => unwrap(c.api.api.v1.pipelines[':id'].$delete({ param: { id: p.id } })), () => {
      this.pipelines = this.pipelines.filter((x) => x.id !== p.id);
      this.announce = t('pipe.deleted', { name: p.name });
      const next = this.pipelines[Math.min(index, this.pipelines.length - 1)];
      this.focusLater(next ? `[data-key="p:${next.id}"]` : '#pipe-new');
    });
  }

  private async renameStage(p: PipelineJson, s: Stage) {
    const name = this.draft(`s:${s.id}`, s.name).trim();
    if (!name) return void (this.errors = { ...this.errors, [`s:${s.id}`]: t('pipe.needStageName') });
    if (name === s.name) return;
    await this.run(`s:${s.id}`, (c) => unwrap(c.api.api.v1.pipelines[':id'].stages[':stageId'].$patch({ param: { id: p.id, stageId: s.id }, json: { name } })), (saved) => {
      this.put(saved);
      this.forget(`s:${s.id}`);
      this.announce = t('pipe.saved');
    });
  }

  /** Moves a stage one place up (-1) or down (+1); focus stays on what moved it. */
  private async move(p: PipelineJson, s: Stage, by: -1 | 1, from: 'up' | 'down' | 'name') {
    const ids = p.stages.map((x) => x.id);
    const at = ids.indexOf(s.id);
    const to = at + by;
    if (to < 0 || to >= ids.length) return;
    [ids[at], ids[to]] = [ids[to]!, ids[at]!];
    await this.run(`s:${s.id}`, (c) => unwrap(c.api.api.v1.pipelines[':id'].stages.order.$put({ param: { id: p.id }, json: { stageIds: ids } })), (saved) => {
      this.put(saved);
      this.announce = t('pipe.moved', { name: s.name, position: to + 1 });
      const edge = (from === 'up' && to === 0) || (from === 'down' && to === ids.length - 1);
      const target = from === 'name' ? 'input' : `.${edge ? (from === 'up' ? 'down' : 'up') : from}`;
      this.focusLater(`[data-stage="${s.id}"] ${target}`);
    });
  }

  private async removeStage(p: PipelineJson, s: Stage) {
    const index = p.stages.indexOf(s);
    await this.run(`s:${s.id}`, (c) => unwrap(c.api.api.v1.pipelines[':id'].stages[':stageId'].$delete({ param: { id: p.id, stageId: s.id } })), (saved) => {
      this.put(saved);
      this.forget(`s:${s.id}`);
      this.announce = t('pipe.deleted', { name: s.name });
      const next = saved.stages[Math.min(index, saved.stages.length - 1)];
      this.focusLater(next ? `[data-key="s:${next.id}"]` : `[data-key="add:${p.id}"]`);
    });
  }

  private async addStage(p: PipelineJson) {
    const name = this.draft(`add:${p.id}`).trim();
    if (!name) {
      this.errors = { ...this.errors, [`add:${p.id}`]: t('pipe.needStageName') };
      return this.focusLater(`[data-key="add:${p.id}"]`);
    }
    await this.run(`add:${p.id}`, (c) => unwrap(c.api.api.v1.pipelines[':id'].stages.$post({ param: { id: p.id }, json: { name } })), (saved) => {
      this.put(saved);
      this.forget(`add:${p.id}`);
      this.announce = t('pipe.saved');
      this.focusLater(`[data-key="add:${p.id}"]`);
    });
  }

  private async create() {
    const name = this.draft('new').trim();
    const stages = this.draft('newStages')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    const errors: Record<string, string> = {};
    if (!name) errors.new = t('pipe.needName');
    if (!stages.length) errors.newStages = t('pipe.needStage');
    if (Object.keys(errors).length) {
      this.errors = { ...this.errors, ...errors };
      return this.focusLater('.create [aria-invalid="true"]');
    }
    await this.run('new', (c) => unwrap(c.api.api.v1.pipelines.$post({ json: { name, stages } })), (saved) => {
      this.pipelines = [...this.pipelines, saved];
      this.forget('new', 'newStages');
      this.announce = t('pipe.saved');
      this.focusLater(`[data-key="add:${saved.id}"]`);
    });
  }

  /** Enter saves the field; Escape inside a changed field puts back the saved text instead of closing the dialog. */
  private keys(key: string, saved: string, save: () => void) {
    return (e: KeyboardEvent) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        save();
      } else if (e.key === 'Escape' && this.drafts[key] !== undefined && this.drafts[key] !== saved) {
        e.preventDefault();
        this.forget(key);
        this.errors = { ...this.errors, [key]: '' };
      }
    };
  }

  private field(key: string, saved: string, label: string, save: () => void, extra?: (e: KeyboardEvent) => void, placeholder?: string) {
    const error = this.errors[key];
    return html`<input data-key=${key} maxlength=${key.startsWith('p:') || key === 'new' ? 100 : 60} aria-label=${label} dir="auto" placeholder=${placeholder ?? nothing}
      aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `err-${key}` : nothing} .value=${this.draft(key, saved)}
      @input=${(e: Event) => this.type(key, (e.target as HTMLInputElement).value)}
      @keydown=${(e: KeyboardEvent) => (extra?.(e), e.defaultPrevented || this.keys(key, saved, save)(e))} />`;
  }

  private error(key: string) {
    return this.errors[key] ? html`<p class="error" id="err-${key}" role="alert">${this.errors[key]}</p>` : nothing;
  }

  protected override render() {
    return html`<dialog aria-labelledby="pipe-h" @close=${() => this.dispatchEvent(new Event('close'))}>
      <h2 id="pipe-h">${t('pipe.title')}</h2>
      ${this.pipelines.length ? html`<p class="muted">${t('pipe.moveHint')}</p>` : html`<p class="muted">${t('pipe.none')}</p>`}
      ${this.pipelines.map((p) => this.renderPipeline(p))}
      ${this.renderCreate()}
      <div class="actions">
        <button type="button" class="btn" @click=${() => this.dialog.close()}>${t('pipe.close')}</button>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>
    </dialog>`;
  }

  private renderPipeline(p: PipelineJson) {
    const key = `p:${p.id}`;
    const edited = this.draft(key, p.name).trim() !== p.name;
    return html`<section class="pipeline" aria-label=${p.name} data-pipeline=${p.id}>
      <div class="row">
        ${this.field(key, p.name, t('pipe.name', { name: p.name }), () => void this.rename(p))}
        <button class="btn rename" ?disabled=${this.busy || !edited} aria-label=${t('pipe.renameLabel', { name: p.name })} @click=${() => void this.rename(p)}>${t('pipe.rename')}</button>
        <button class="btn danger delete" ?disabled=${this.busy} aria-label=${t('pipe.deleteLabel', { name: p.name })} @click=${() => void this.deletePipeline(p)}>${t('pipe.delete')}</button>
      </div>
      ${this.error(key)}
      <ol aria-label=${t('pipe.stages', { name: p.name })}>
        ${p.stages.map((s, i) => this.renderStage(p, s, i))}
      </ol>
      <div class="row">
        ${this.field(`add:${p.id}`, '', t('pipe.newStage', { name: p.name }), () => void this.addStage(p), undefined, t('pipe.newStagePlaceholder'))}
        <button class="btn add" ?disabled=${this.busy} aria-label=${t('pipe.addStageTo', { name: p.name })} @click=${() => void this.addStage(p)}>${t('pipe.addStage')}</button>
      </div>
      ${this.error(`add:${p.id}`)}
    </section>`;
  }

  private renderStage(p: PipelineJson, s: Stage, i: number) {
    const key = `s:${s.id}`;
    const edited = this.draft(key, s.name).trim() !== s.name;
    const last = p.stages.length - 1;
    const arrows = (e: KeyboardEvent) => {
      if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
      e.preventDefault();
      void this.move(p, s, e.key === 'ArrowUp' ? -1 : 1, (e.target as HTMLElement).matches('input') ? 'name' : e.key === 'ArrowUp' ? 'up' : 'down');
    };
    return html`<li data-stage=${s.id} @keydown=${(e: KeyboardEvent) => !(e.target as HTMLElement).matches('input') && arrows(e)}>
      <div class="row stage-row">
        <span class="pos" aria-hidden="true">${i + 1}.</span>
        ${this.field(key, s.name, t('pipe.stageName', { position: i + 1, name: p.name }), () => void this.renameStage(p, s), arrows)}
        <span class="count">${plural('opp.count', s.opportunityCount)}</span>
        ${edited ? html`<button class="btn rename" ?disabled=${this.busy} aria-label=${t('pipe.stageRename', { name: s.name })} @click=${() => void this.renameStage(p, s)}>${t('pipe.rename')}</button>` : nothing}
        <button class="btn icon up" aria-disabled=${this.busy || i === 0 ? 'true' : 'false'} aria-label=${t('pipe.up', { name: s.name })} @click=${() => i > 0 && void this.move(p, s, -1, 'up')}>↑</button>
        <button class="btn icon down" aria-disabled=${this.busy || i === last ? 'true' : 'false'} aria-label=${t('pipe.down', { name: s.name })} @click=${() => i < last && void this.move(p, s, 1, 'down')}>↓</button>
        <button class="btn icon danger remove" ?disabled=${this.busy} aria-label=${t('pipe.stageDelete', { name: s.name })} @click=${() => void this.removeStage(p, s)}>×</button>
      </div>
      ${this.error(key)}
    </li>`;
  }

  private renderCreate() {
    const stagesError = this.errors.newStages;
    return html`<section class="create" aria-labelledby="pipe-new-h">
      <h3 id="pipe-new-h">${t('pipe.create')}</h3>
      <label class="field">${t('pipe.createName')}
        <input id="pipe-new" data-key="new" maxlength="100" dir="auto" aria-invalid=${this.errors.new ? 'true' : 'false'} aria-describedby=${this.errors.new ? 'err-new' : nothing}
          .value=${this.draft('new')} @input=${(e: Event) => this.type('new', (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.preventDefault(), void this.create())} />${this.error('new')}</label>
      <label class="field">${t('pipe.createStages')}
        <textarea id="pipe-new-stages" data-key="newStages" dir="auto" placeholder=${t('pipe.stagesPlaceholder')} aria-invalid=${stagesError ? 'true' : 'false'} aria-describedby=${stagesError ? 'err-newStages' : nothing}
          .value=${this.draft('newStages')} @input=${(e: Event) => this.type('newStages', (e.target as HTMLTextAreaElement).value)}></textarea>${this.error('newStages')}</label>
      <div class="actions">
        <button class="btn primary create-button" ?disabled=${this.busy} @click=${() => void this.create()}>${t('pipe.createButton')}</button>
      </div>
    </section>`;
  }
}
define('dossier-pipeline-dialog', PipelineDialog);

/**
 * Opens the Manage pipelines dialog inside `root` (a shadow root or element); resolves when it closes, with true when
 * anything was saved. Reads the pipelines itself unless given.
 */
export async function openPipelineDialog(root: Node, o: { client: DossierClient; pipelines?: PipelineJson[]; theme?: string }): Promise<boolean> {
  const pipelines = o.pipelines ?? (await unwrap(o.client.api.api.v1.pipelines.$get())).items;
  const dialog = document.createElement('dossier-pipeline-dialog');
  Object.assign(dialog, { client: o.client, pipelines });
  if (o.theme) dialog.setAttribute('theme', o.theme);
  root.appendChild(dialog);
  await dialog.updateComplete;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.changed);
    });
    dialog.show();
  });
}

declare global {
  interface HTMLElementTagNameMap {
    'dossier-pipeline-dialog': PipelineDialog;
  }
}
