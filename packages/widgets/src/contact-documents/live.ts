// Live updates for one contact's documents, over the shared reconnecting stream (core/live.ts).
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import { openLive } from '../../../core/src/live.js';
import type { DocumentJson } from '../../../core/src/types.js';

export interface LiveEvent {
  type: 'created' | 'updated' | 'deleted' | 'restored';
  document: DocumentJson;
}

export class LiveDocuments {
  /** Stops following for good. */
  readonly close: () => void;

  constructor(client: DossierClient, contactId: string, onEvent: (e: LiveEvent) => void, onReady: (reconnected: boolean) => void) {
    const id = encodeURIComponent(contactId);
    this.close = openLive(client, {
      ticket: async () => (await unwrap(client.api.api.v1.contacts[':id'].documents.events.ticket.$post({ param: { id: contactId } }))).ticket,
      path: (ticket) => `/api/v1/contacts/${id}/documents/events?ticket=${encodeURIComponent(ticket)}`,
      on: { document: onEvent },
      ready: onReady,
    });
  }
}
