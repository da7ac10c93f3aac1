// The table's less frequent actions (saved views, bulk jobs, export, row delete / restore, unmerge),
// loaded on first use so the eager bundle stays small.
import { html, nothing } from 'lit';
import { unwrap } from '../../../core/src/api.js';
import { DossierErrorEvent } from '../../../core/src/events.js';
import { addMessages, getLocale, plural, t } from '../../../core/src/i18n.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { ContactTable } from './contact-table.js';
import type { BulkJob, SavedView } from './model.js';
import { queryBody } from './row-source.js';
import { ask } from './table-dialogs.js';
import { loadChunk } from '../../../core/src/chunk.js';

export function definition(table: ContactTable) {
  const widths = Object.keys(table.widths).length ? { widths: table.widths } : {};
  return { q: table.q || undefined, ...(table.filter.length && { filter: { and: table.filter } }), columns: table.columns, ...widths, sort: table.sort };
}

export async function saveView(table: ContactTable) {
  const client = table.client;
  if (!client) return;
    const scopes = table.can('views.share') ? ['personal', 'workspace'] : ['personal'];
  const answer = await ask(table.renderRoot, t('table.view.save'), [
    { name: 'name', label: t('dialog.viewName'), type: 'text', required: true },
    ...(scopes.length > 1 ? [{ name: 'scope', label: t('dialog.scope'), type: 'select' as const, options: scopes.map((s) => [s, t(`dialog.scope.${s}`)] as [string, string]) }] : []),
  ]);
  if (!answer) return;
  await table.act('save-view', async () => {
    const view = (await unwrap(client.api.api.v1.views.$post({ json: { name: String(answer.name), scope: (answer.scope as 'personal') ?? 'personal', definition: definition(table) } as never }))) as unknown as SavedView;
    table.views = [...table.views, view];
    table.viewId = view.id;
    table.changed(false);
  });
}

export async function renameView(table: ContactTable) {
  const client = table.client;
  const view = table.currentView;
  if (!client || !view) return;
    const answer = await ask(table.renderRoot, t('table.view.rename'), [{ name: 'name', label: t('dialog.viewName'), type: 'text', required: true, value: view.name }]);
  if (!answer) return;
  await table.act('rename-view', async () => {
    const updated = (await unwrap(client.api.api.v1.views[':id'].$patch({ param: { id: view.id }, json: { name: String(answer.name), definition: definition(table) } as never }))) as unknown as SavedView;
    table.views = table.views.map((v) => (v.id === view.id ? updated : v));
  });
}

export async function deleteView(table: ContactTable) {
  const client = table.client;
  const view = table.currentView;
  if (!client || !view) return;
  table.confirm.heading = t('table.view.deleteTitle', { name: view.name });
  table.confirm.message = t('table.view.deleteMessage');
  table.confirm.confirmLabel = t('action.delete');
  if (!(await table.confirm.ask())) return;
  await table.act('delete-view', async () => {
    await unwrap(client.api.api.v1.views[':id'].$delete({ param: { id: view.id } }));
    table.views = table.views.filter((v) => v.id !== view.id);
    table.applyView('');
  });
}


/** Starts a bulk job on the selection and polls it until it finishes; failures are listed. */
export async function runBulk(table: ContactTable, action: 'add_tags' | 'remove_tags' | 'assign_owner' | 'assign_team' | 'delete' | 'restore', params: Record<string, unknown>, label: string) {
  const client = table.client;
  if (!client) return;
  const target = table.allMatching
    ? { selection: { q: table.q.trim() || undefined, ...(table.filter.length && { filter: { and: table.filter } }) }, ...(table.excluded.size && { except: [...table.excluded] }) }
    : { ids: table.selectedIds };
  await table.act(`bulk-${action}`, async () => {
    let job = (await unwrap(client.api.api.v1.contacts.bulk.$post({ json: { action, ...target, params } as never }))) as unknown as BulkJob;
    table.job = { ...job, label };
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 400));
      job = (await unwrap(client.api.api.v1['bulk-jobs'][':id'].$get({ param: { id: job.id } }))) as unknown as BulkJob;
      table.job = { ...job, label };
    }
    table.clearSelection();
    table.reload();
  });
}

export async function bulkTags(table: ContactTable, remove: boolean) {
    const label = t(remove ? 'table.bulk.removeTags' : 'table.bulk.addTags');
  const answer = await ask(table.renderRoot, label, [{ name: 'tags', label: t('tags.label'), type: 'tags', required: true }], label);
  const tags = answer?.tags as string[] | undefined;
  if (tags?.length) await runBulk(table, remove ? 'remove_tags' : 'add_tags', { tags }, label);
}

export async function bulkAssign(table: ContactTable) {
    const label = t('table.bulk.assign');
  const answer = await ask(table.renderRoot, label, [
    { name: 'owner', label: t('table.col.owner'), type: 'select', options: [['', t('table.unassigned')], ...table.members.map((m) => [m.id, m.name] as [string, string])] },
  ], label);
  if (answer) await runBulk(table, 'assign_owner', { ownerId: answer.owner || null }, label);
}

/** Puts the selection in a team, or out of any ("No team"). */
export async function bulkAssignTeam(table: ContactTable) {
  const label = t('table.bulk.assignTeam');
  const answer = await ask(table.renderRoot, label, [
    { name: 'team', label: t('table.col.team'), type: 'select', options: [['', t('table.noTeam')], ...table.teams.map((x) => [x.id, x.name] as [string, string])] },
  ], label);
  if (answer) await runBulk(table, 'assign_team', { teamId: answer.team || null }, label);
}

export async function bulkDelete(table: ContactTable) {
  const count = table.selectionCount;
  table.confirm.heading = plural('table.bulk.deleteTitle', count);
  table.confirm.message = plural('table.bulk.deleteMessage', count, { period: plural('time.days', table.session?.workspace.restoreDays ?? 30) });
  table.confirm.confirmLabel = t('action.delete');
  if (await table.confirm.ask()) await runBulk(table, 'delete', {}, t('table.bulk.delete'));
}

export async function exportCsv(table: ContactTable) {
  const client = table.client;
  if (!client) return;
    const answer = await ask(table.renderRoot, t('dialog.export'), [{ name: 'bom', label: t('dialog.bom'), type: 'checkbox' }], t('table.export'));
  if (!answer) return;
  await table.act('export', async () => {
    const body = { ...queryBody({ q: table.q, filter: table.filter, sort: table.sort, deleted: table.bin }), columns: table.columns.filter((c) => c !== 'purge'), bom: Boolean(answer.bom) };
    const { url } = (await unwrap(client.api.api.v1.contacts.export.$post({ json: body as never }))) as { url: string };
    const a = document.createElement('a');
    a.href = new URL(url, new URL(client.baseUrl, location.href)).href;
    a.download = '';
    table.renderRoot.appendChild(a);
    a.click();
    a.remove();
    table.notice = t('dialog.exportStarted');
  });
}

export async function deleteRow(table: ContactTable, row: ContactJson) {
  const client = table.client;
  table.closeMenu(false);
  if (!client) return;
  table.confirm.heading = t('record.delete.title', { name: row.name || '—' });
  table.confirm.message = plural('table.bulk.deleteMessage', 1, { period: plural('time.days', table.session?.workspace.restoreDays ?? 30) });
  table.confirm.confirmLabel = t('action.delete');
  if (!(await table.confirm.ask())) return;
  await table.act('delete-contact', async () => {
    await unwrap(client.api.api.v1.contacts[':id'].$delete({ param: { id: row.id } }));
    table.source?.remove(new Set([row.id]));
    client.publish({ type: 'contact-deleted', id: row.id, source: table });
  });
}

export async function restoreRow(table: ContactTable, row: ContactJson) {
  const client = table.client;
  table.closeMenu(false);
  if (!client) return;
  await table.act('restore-contact', async () => {
    await unwrap(client.api.api.v1.contacts[':id'].restore.$post({ param: { id: row.id } }));
    table.source?.remove(new Set([row.id]));
    table.notice = t('table.restored');
  });
}

/** Unmerge from the row menu: pick, review, confirm in the unmerge dialog; the restored contacts come back in the list. */
export async function unmerge(table: ContactTable, mergeId: string, name?: string) {
  const client = table.client;
  table.closeMenu(false);
  if (!client) return;
  const { openUnmerge, unmergedNotice } = await loadChunk(() => import('./unmerge-dialog.js'));
  const done = await openUnmerge(table.renderRoot, client, mergeId, name);
  if (!done) return;
  table.notice = unmergedNotice(done);
  table.reload();
}

/** A shift-click range [from, to) over rows that are not all loaded: its ids come from the server by position, ids only. */
export async function selectRange(table: ContactTable, from: number, to: number, on: boolean) {
  const s = table.source;
  if (!s) return;
  table.range?.ctrl.abort();
  const ctrl = new AbortController();
  const job = { from, to, on, done: 0, ctrl };
  if (to - from > (table.constructor as typeof ContactTable).maxRange) return void (table.range = { ...job, tooMany: true });
  table.range = job;
  const update = (patch: object) => table.range?.ctrl === ctrl && (table.range = { ...table.range, ...patch });
  // Progress shows only when the ids take a while.
  setTimeout(() => update({ shown: true }), 300);
  try {
    const ids = await s.idsIn(from, to, ctrl.signal, (done) => update({ done }));
    if (ctrl.signal.aborted) return;
    table.range = null;
    table.select(ids, on);
  } catch (err) {
    if (ctrl.signal.aborted) return;
    table.range = { ...job, error: (err as Error).message };
    table.dispatchEvent(new DossierErrorEvent({ error: err as Error, action: 'select-range' }));
  }
}

addMessages('en', {
  'table.view.deleteTitle': 'Delete the view “{name}”?',
  'table.view.deleteMessage': 'The contacts stay; only the saved view is removed. This cannot be undone.',
  'table.selectAllMatching': 'Select all {n} matching',
  'table.bulk.deleteTitle.one': 'Delete {count} contact?',
  'table.bulk.deleteTitle.other': 'Delete {count} contacts?',
  'table.bulk.deleteMessage.one': 'It moves to the restore bin and can be restored for {period}. After that it is removed for good.',
  'table.bulk.deleteMessage.other': 'They move to the restore bin and can be restored for {period}. After that they are removed for good.',
  'table.restored': 'Restored.',
  'table.selectedLoaded.one': 'The {count} loaded row selected',
  'table.selectedLoaded.other': 'All {count} loaded rows selected',
  'table.selected': '{n} selected',
  'table.allMatching.one': 'The {count} matching contact selected',
  'table.allMatching.other': 'All {count} matching contacts selected',
  'table.allMatchingBut.one': '{n} of {count} matching contact selected',
  'table.allMatchingBut.other': '{n} of {count} matching contacts selected',
  'table.clearSelection': 'Clear selection',
  'table.bulk': 'Bulk actions',
  'table.bulk.addTags': 'Add tags',
  'table.bulk.removeTags': 'Remove tags',
  'table.bulk.assign': 'Assign owner',
  'table.bulk.assignTeam': 'Assign team',
  'table.noTeam': 'No team',
  'table.bulk.delete': 'Delete',
  'table.bulk.restore': 'Restore',
  'table.bulk.merge': 'Merge',
  'table.job.running': '{label}: {done} of {total}…',
  'table.job.done': '{label}: done, {done} changed.',
  'table.job.partial': '{label}: {done} changed, {failed} failed.',
  'table.job.failed': '{label} failed.',
  'table.job.dismiss': 'Dismiss',
  'table.range.loading.one': 'Selecting {count} row: {done} so far…',
  'table.range.loading.other': 'Selecting {count} rows: {done} so far…',
  'table.range.progress': 'Selecting rows',
  'table.range.failed': 'Could not select those rows: {message}',
  'table.range.tooMany.one': 'That range has {count} row, more than the {max} a range can select one by one.',
  'table.range.tooMany.other': 'That range has {count} rows, more than the {max} a range can select one by one.',
});

/** A shift-click range past the loaded rows: progress (once slow), its failure with a retry, or "too many" with "Select all N matching". */
export function renderRange(table: ContactTable) {
  const r = table.range;
  if (!r || !(r.shown || r.error || r.tooMany)) return nothing;
  const fmt = (n: number) => new Intl.NumberFormat(getLocale()).format(n);
  const count = table.source?.count ?? 0;
  const params = { done: fmt(r.done), max: fmt((table.constructor as typeof ContactTable).maxRange), message: r.error ?? '' };
  return html`<div class="job range ${r.error ? 'has-errors' : ''}" role=${r.shown ? 'status' : 'alert'}><div class="job-line">
    ${r.tooMany
      ? html`<span>${plural('table.range.tooMany', r.to - r.from, params)}</span>${count ? html`<button class="link" @click=${() => { table.range = null; table.selectAllMatching(); }}>${t('table.selectAllMatching', { n: fmt(count) })}</button>` : nothing}`
      : r.error
        ? html`<span>${t('table.range.failed', params)}</span><button class="btn" @click=${() => selectRange(table, r.from, r.to, r.on)}>${t('state.retry')}</button>`
        : html`<span>${plural('table.range.loading', r.to - r.from, params)}</span><progress max=${r.to - r.from} .value=${r.done} aria-label=${t('table.range.progress')}></progress>`}
    <button class="btn" @click=${() => { r.ctrl.abort(); table.range = null; }}>${t(r.error || r.tooMany ? 'table.job.dismiss' : 'action.cancel')}</button>
  </div></div>`;
}

/** A bulk job's progress, outcome and failures (each named by its contact when that row is loaded). */
export function renderJob(table: ContactTable) {
  const job = table.job;
  if (!job) return nothing;
  const params = { label: job.label, done: job.done, total: job.total, failed: job.failed };
  const text = job.status === 'running' ? t('table.job.running', params) : job.status === 'failed' ? t('table.job.failed', params) : job.failed ? t('table.job.partial', params) : t('table.job.done', params);
  return html`<div class="job ${job.failed ? 'has-errors' : ''}" role=${job.failed ? 'alert' : 'status'}>
    <div class="job-line">
      <span>${text}</span>
      <progress max=${Math.max(1, job.total)} .value=${job.done + job.failed} aria-label=${job.label}></progress>
      ${job.status !== 'running' ? html`<button class="btn" @click=${() => (table.job = null)}>${t('table.job.dismiss')}</button>` : nothing}
    </div>
    ${job.errors.length ? html`<ul class="job-errors">${job.errors.slice(0, 50).map((er) => html`<li>${(er.id && table.source?.rows.find((r) => r.id === er.id)?.name) || er.id || (er.row ? `#${er.row}` : '')}: ${er.message}</li>`)}</ul>` : nothing}
  </div>`;
}

/** The bar over the count line while rows are selected: what is selected, and the bulk actions the role allows. */
export function renderBulkBar(table: ContactTable) {
  const n = table.selectionCount;
  const count = table.source?.count ?? 0;
  const fmt = new Intl.NumberFormat(getLocale()).format(count);
  const bulk = table.can('contacts.bulk');
  const run = table.run.bind(table);
  return html`<div class="bulk" part="bulk-bar" role="toolbar" aria-label=${t('table.bulk')}>
    <strong>${table.allMatching
      ? table.excluded.size ? plural('table.allMatchingBut', count, { n: new Intl.NumberFormat(getLocale()).format(n) }) : plural('table.allMatching', count)
      : table.loadedSelected ? plural('table.selectedLoaded', n) : t('table.selected', { n })}</strong>
    ${!table.allMatching && count > n ? html`<button class="link" @click=${() => table.selectAllMatching()}>${t('table.selectAllMatching', { n: fmt })}</button>` : nothing}
    <span class="spacer notice" title=${table.notice || nothing}>${table.notice}</span>
    ${table.bin
      ? bulk && table.can('contacts.restore') ? html`<button class="btn primary" @click=${() => run('runBulk', 'restore', {}, t('table.bulk.restore'))}>${t('table.bulk.restore')}</button>` : nothing
      : html`
          ${bulk && table.can('contacts.edit')
            ? html`<button class="btn" @click=${() => run('bulkTags', false)}>${t('table.bulk.addTags')}</button>
                <button class="btn" @click=${() => run('bulkTags', true)}>${t('table.bulk.removeTags')}</button>
                <button class="btn" @click=${() => run('bulkAssign')}>${t('table.bulk.assign')}</button>
                ${table.teams.length ? html`<button class="btn" @click=${() => run('bulkAssignTeam')}>${t('table.bulk.assignTeam')}</button>` : nothing}`
            : nothing}
          ${table.can('contacts.merge') && !table.allMatching && n >= 2 && n <= 20 ? html`<button class="btn" aria-haspopup="dialog" @click=${() => table.showPanel('merge')}>${t('table.bulk.merge')}</button>` : nothing}
          ${bulk && table.can('contacts.delete') ? html`<button class="btn danger" @click=${() => run('bulkDelete')}>${t('table.bulk.delete')}</button>` : nothing}
        `}
    <button class="btn" @click=${() => table.clearSelection()}>${t('table.clearSelection')}</button>
  </div>`;
}
