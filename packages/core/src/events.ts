// Public DOM events: `Event` subclasses with a typed `detail`, bubbling and composed (they cross shadow roots).
import type { DossierApiError } from './api.js';
import type { ContactJson } from './types.js';

export abstract class DossierEvent<D> extends Event {
  constructor(
    type: string,
    readonly detail: D,
    init: EventInit = {},
  ) {
    super(type, { bubbles: true, composed: true, ...init });
  }
}

/** After a contact edit was saved. `changed` lists the top-level fields that changed. */
export class ContactChangeEvent extends DossierEvent<{ contact: ContactJson; changed: string[] }> {
  static readonly type = 'contact-change';
  constructor(detail: ContactChangeEvent['detail']) {
    super(ContactChangeEvent.type, detail);
  }
}

/** After a contact was moved to the restore bin. */
export class ContactDeleteEvent extends DossierEvent<{ id: string }> {
  static readonly type = 'contact-delete';
  constructor(detail: ContactDeleteEvent['detail']) {
    super(ContactDeleteEvent.type, detail);
  }
}

/** A contact was created in `<contact-table>`'s Add contact dialog (it then opens: `contact-open` follows). */
export class ContactCreateEvent extends DossierEvent<{ id: string; contact: ContactJson }> {
  static readonly type = 'contact-create';
  constructor(detail: ContactCreateEvent['detail']) {
    super(ContactCreateEvent.type, detail);
  }
}

/**
 * The user asked to open a contact (a table row). The host decides where `<contact-record>` shows it; `tab` names the
 * record tab asked for ("View messages": `conversations`), for the record's `tab`.
 */
/** A row was opened. In the organization view `workspaceId` names the contact's workspace (open it with that workspace's token). */
export class ContactOpenEvent extends DossierEvent<{ id: string; tab?: string; workspaceId?: string }> {
  static readonly type = 'contact-open';
  constructor(detail: ContactOpenEvent['detail']) {
    super(ContactOpenEvent.type, detail);
  }
}

/** Previous/next arrows in the record. Cancelable: call `preventDefault()` to handle navigation yourself. */
export class ContactNavigateEvent extends DossierEvent<{ id: string; from: string; direction: 'previous' | 'next' }> {
  static readonly type = 'contact-navigate';
  constructor(detail: ContactNavigateEvent['detail']) {
    super(ContactNavigateEvent.type, detail, { cancelable: true });
  }
}

/** The table's selection changed. `allMatching`: every contact matching the current search and filters (count `count`). */
/** `except`: with allMatching, the contacts unticked since (left out of "all matching"). */
export class ContactSelectionChangeEvent extends DossierEvent<{ ids: string[]; allMatching: boolean; except: string[]; count: number }> {
  static readonly type = 'contact-selection-change';
  constructor(detail: ContactSelectionChangeEvent['detail']) {
    super(ContactSelectionChangeEvent.type, detail);
  }
}

/** The table's view changed: saved view, search, filters, sort, columns or restore bin. */
export class ContactViewChangeEvent extends DossierEvent<{
  viewId: string | null;
  q: string;
  filter: { field: string; op: string; value?: unknown }[];
  sort: { field: string; dir: 'asc' | 'desc' };
  columns: string[];
  deleted: boolean;
  /** The organization view's Workspace filter (null: all workspaces); absent on a workspace table. */
  workspaceId?: string | null;
}> {
  static readonly type = 'contact-view-change';
  constructor(detail: ContactViewChangeEvent['detail']) {
    super(ContactViewChangeEvent.type, detail);
  }
}

export class DocumentUploadEvent extends DossierEvent<{ contactId: string; documentIds: string[] }> {
  static readonly type = 'document-upload';
  constructor(detail: DocumentUploadEvent['detail']) {
    super(DocumentUploadEvent.type, detail);
  }
}

export class DocumentDeleteEvent extends DossierEvent<{ contactId: string; documentId: string }> {
  static readonly type = 'document-delete';
  constructor(detail: DocumentDeleteEvent['detail']) {
    super(DocumentDeleteEvent.type, detail);
  }
}

export class DocumentOpenEvent extends DossierEvent<{ contactId: string; documentId: string }> {
  static readonly type = 'document-open';
  constructor(detail: DocumentOpenEvent['detail']) {
    super(DocumentOpenEvent.type, detail);
  }
}

/** Any failure a widget showed to the user, so the host can log or report it. */
export class DossierErrorEvent extends DossierEvent<{ error: DossierApiError | Error; action: string }> {
  static readonly type = 'dossier-error';
  constructor(detail: DossierErrorEvent['detail']) {
    super(DossierErrorEvent.type, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'contact-change': ContactChangeEvent;
    'contact-delete': ContactDeleteEvent;
    'contact-create': ContactCreateEvent;
    'contact-open': ContactOpenEvent;
    'contact-navigate': ContactNavigateEvent;
    'contact-selection-change': ContactSelectionChangeEvent;
    'contact-view-change': ContactViewChangeEvent;
    'document-upload': DocumentUploadEvent;
    'document-delete': DocumentDeleteEvent;
    'document-open': DocumentOpenEvent;
    'dossier-error': DossierErrorEvent;
  }
}
