// In-process event bus for document changes; the SSE route subscribes per contact. (One process only: a
// multi-process deployment would put a broker behind the same interface.)
import type { DocumentJson } from './documents.js';
import { log } from '../log.js';

export type DocumentChange = 'created' | 'updated' | 'deleted' | 'restored';

export interface DocumentEvent {
  type: DocumentChange;
  workspaceId: string;
  contactId: string;
  document: DocumentJson;
}

type Listener = (event: DocumentEvent) => void;

export class DocumentEvents {
  private readonly listeners = new Map<string, Set<Listener>>();

  private static key(workspaceId: string, contactId: string) {
    return `${workspaceId}\u0000${contactId}`;
  }

  /** Listens to one contact's documents; returns the function that stops listening. */
  subscribe(workspaceId: string, contactId: string, listener: Listener): () => void {
    const key = DocumentEvents.key(workspaceId, contactId);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  publish(event: DocumentEvent): void {
    for (const listener of this.listeners.get(DocumentEvents.key(event.workspaceId, event.contactId)) ?? []) {
      try {
        listener(event);
      } catch (err) {
        log.error('document event listener failed', err);
      }
    }
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
