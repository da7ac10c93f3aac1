// The organization view of <contact-table> (an organization session token): the contacts of several workspaces as
// one list, read from /api/v1/org. Loaded only when a table has the `organization` attribute, so workspace tables
// never carry it.
import { html } from 'lit';
import { live } from 'lit/directives/live.js';
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { t } from '../../../core/src/i18n.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { ContactTable } from './contact-table.js';
import type { Page } from './model.js';
import { BLOCK } from './row-blocks.js';
import { queryBody, RowSource, type TableQuery } from './row-source.js';

/** One of the organization session's workspaces, with the member's role there. */
export interface OrgWorkspace {
  workspaceId: string;
  workspaceName: string;
  role: string;
}

/** A row of the organization list: a contact and the workspace it lives in. */
export type OrgContact = ContactJson & { workspaceId: string; workspaceName: string };

/** The organization view's columns: the Workspace column instead of Owner (members differ between workspaces). */
export const ORG_COLUMNS = ['name', 'workspace', 'email', 'phone', 'tags', 'createdAt', 'lastInteractionAt'];

/** The Workspace filter, where a workspace's table has its saved views. */
export const workspaceSelect = (table: ContactTable) =>
  html`<label class="visually-hidden" for="view">${t('table.workspace')}</label>
    <select id="view" .value=${live(table.workspaceId)} @change=${(e: Event) => { table.workspaceId = (e.target as HTMLSelectElement).value; table.changed(); }}>
      <option value="">${t('table.workspace.all')}</option>
      ${table.workspaces.map((w) => html`<option value=${w.workspaceId} ?selected=${w.workspaceId === table.workspaceId}>${w.workspaceName}</option>`)}
    </select>`;

/** The session's workspaces (GET /api/v1/org/workspaces), for the Workspace filter. */
export async function workspacesOf(client: DossierClient): Promise<OrgWorkspace[]> {
  return (await unwrap(client.api.api.v1.org.workspaces.$get())).items;
}

/**
 * Rows of the organization list. Its pages merge every workspace's keyset, so a page can only start after the one
 * above (no jump to a position, no reading upwards): the list grows as it is scrolled, and the cursor each block
 * starts from is kept when the block leaves memory, so scrolling back reloads it directly.
 */
export class OrgRowSource extends RowSource {
  private starts = new Map<number, string>();

  constructor(
    client: DossierClient,
    query: TableQuery,
    /** Only these workspaces (none: all of the session's). */
    private workspaceIds: string[],
    onChange: () => void,
  ) {
    super(client, query, onChange);
  }

  /** Known rows only: the scrollbar reaches one row past them, and scrolling there loads the next block. */
  override get length(): number {
    return this.end ?? this.seen;
  }

  /** The first page carries the count (there is no separate count route across workspaces). */
  protected override async loadCount() {}

  protected override async placeOf(k: number): Promise<object> {
    if (k === 0) return {};
    for (let tries = 0; tries < 2; tries++) {
      const next = this.blocks.ready(k - 1)?.next ?? this.starts.get(k);
      if (next) {
        this.starts.set(k, next);
        return { cursor: next };
      }
      if (this.blocks.ready(k - 1)) break;
      // The block above left memory before its next page was asked for: read it again first.
      await this.idAt((k - 1) * BLOCK);
    }
    throw new Error('The list ended before this row.');
  }

  protected override async request<T = Page>(extra: object, signal: AbortSignal): Promise<T> {
    const { deleted: _, ...query } = queryBody(this.query);
    const { cursor, limit, count } = extra as { cursor?: string; limit: number; count?: 'exact' };
    const body = { ...query, limit, ...(cursor && { cursor }), count: count ?? !cursor, ...(this.workspaceIds.length && { workspaceIds: this.workspaceIds }) };
    const page = await unwrap(this.client.api.api.v1.org.contacts.query.$post({ json: body as never }, { init: { signal } }));
    if (page.count !== null && !signal.aborted && this.end === null) {
      this.count = page.count;
      this.estimated = page.estimated;
    }
    return { items: page.items as OrgContact[], nextCursor: page.nextCursor, prevCursor: null, count: page.count, estimated: page.estimated } as T;
  }
}
