// The workspace event feed: domain writes publish what changed, once committed; live streams (SSE) subscribe per
// workspace. One small interface so other transports can stand behind it: an in-process feed here, PostgreSQL
// LISTEN/NOTIFY across processes, a durable outbox for webhooks. Events are plain JSON, so any of them can carry it.
import type { DocumentJson } from './documents.js';
import { log } from '../log.js';

export type DocumentChange = 'created' | 'updated' | 'deleted' | 'restored';
export type ContactChange = 'created' | 'updated' | 'deleted' | 'restored' | 'merged' | 'unmerged';

/** A contact as it is after the change: its id and new version (a reader with that version is up to date). */
export interface ContactRef {
  id: string;
  version: number;
}

export interface ContactEvent {
  type: `contact.${ContactChange}`;
  workspaceId: string;
  /** Every contact the write changed (a bulk chunk lists up to its chunk size). */
  contacts: ContactRef[];
  /** The ContactJson fields that changed, when known (absent: anything may have). */
  fields?: string[];
  /** Merges: the survivor and the merge (to undo it). */
  survivorId?: string;
  mergeId?: string;
}

export interface DocumentEvent {
  type: `document.${DocumentChange}`;
  workspaceId: string;
  contactId: string;
  document: DocumentJson;
}

/**
 * A note, task, appointment or opportunity (one event per linked contact) of a contact was created, changed or deleted, or a message arrived (`message.created`,
 * with its conversation): the record's right panel follows it live.
 */
export interface ContactItemEvent {
  type: `${'note' | 'task' | 'appointment' | 'opportunity' | 'workflow' | 'portal' | 'payment'}.${'created' | 'updated' | 'deleted'}` | 'message.created' | `association.${'created' | 'deleted'}` | 'invoice.updated' | 'subscription.updated';
  workspaceId: string;
  contactId: string;
  /** The note's, task's or message's id. */
  id: string;
  /** A message's conversation. */
  conversationId?: string;
}

/**
 * Who may do what in the workspace changed (a member's role, restriction, name or email; the workspace's origins,
 * settings, or its deletion): cached callers of it are dropped (http/caller-cache.ts).
 */
export interface AccessEvent {
  type: 'access.changed';
  workspaceId: string;
}

export type DomainEvent = ContactEvent | DocumentEvent | ContactItemEvent | AccessEvent;
export type Listener = (event: DomainEvent) => void;

/** Where domain writes publish and live streams listen. Publish after the write committed. */
export interface EventFeed {
  publish(event: DomainEvent): void;
  /** Listens to one workspace's events; returns the function that stops listening. */
  subscribe(workspaceId: string, listener: Listener): () => void;
  /** Listens to every workspace's events (process-wide consumers such as the caller cache). */
  subscribeAll(listener: Listener): () => void;
}

/** The feed within one server process. */
export class InProcessFeed implements EventFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly everywhere = new Set<Listener>();

  subscribeAll(listener: Listener): () => void {
    this.everywhere.add(listener);
    return () => this.everywhere.delete(listener);
  }

  subscribe(workspaceId: string, listener: Listener): () => void {
    let set = this.listeners.get(workspaceId);
    if (!set) this.listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(workspaceId);
    };
  }

  publish(event: DomainEvent): void {
    for (const listener of [...this.everywhere, ...(this.listeners.get(event.workspaceId) ?? [])]) {
      try {
        listener(event);
      } catch (err) {
        log.error('event listener failed', err);
      }
    }
  }

  /** Listeners of single workspaces (the live streams). */
  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
