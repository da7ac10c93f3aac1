import { createApi, unwrap, type DossierApi } from './api.js';
import { openLive } from './live.js';
import type { TokenSource } from './token-source.js';
import type { ContactItemStreamEvent, ContactJson, ContactStreamEvent, CustomFieldJson, MemberJson, Permission, Session, TeamJson } from './types.js';

/**
 * Fired on `DossierClient.bus` so widgets stay in step: a widget of this page saved a contact (`contact-saved`, with
 * the contact as saved), or the server told of a change anyone made (`contact-changed`, while a widget follows).
 */
export type BusEvent =
  | { type: 'contact-saved'; id: string; contact?: ContactJson; source?: unknown }
  | { type: 'contact-deleted'; id: string; source?: unknown }
  | { type: 'contact-changed'; event: ContactStreamEvent; source?: undefined }
  /** A note or task of a contact changed (anyone, anywhere): the panels showing that contact's items read them again. */
  | { type: 'contact-item'; event: ContactItemStreamEvent; source?: undefined }
  /** The live stream is back after a break: what changed meanwhile was not told. */
  | { type: 'live-resumed'; source?: undefined }
  /**
   * The rows a table has loaded around its view: `offset` is ids[0]'s row in the result, `total` the result size;
   * `idAt(row)` answers the id at any row of the whole result (null past the end), loading it when needed.
   */
  | { type: 'contact-list'; ids: string[]; offset?: number; total?: number | null; estimated?: boolean; idAt?: ListRowLookup };

/** The id at a row of a table's result (null past its end); the table loads the row's block when needed. */
export type ListRowLookup = (row: number) => Promise<string | null>;

/**
 * What `<dossier-provider>` gives every Dossier element: the typed API, the caller's session, and cached
 * workspace lookups (members, custom fields) so several widgets on a page ask once.
 */
export class DossierClient {
  readonly api: DossierApi;
  readonly bus = new EventTarget();
  /** Ids of the last list a `<contact-table>` showed, for the record's previous/next arrows. */
  listIds: string[] = [];
  /** Where those ids sit in the table's whole result, for "152 of 1,000,000". */
  listPlace: { offset: number; total: number | null; estimated: boolean; idAt?: ListRowLookup } = { offset: 0, total: null, estimated: false };
  private cache = new Map<string, Promise<unknown>>();
  private followers = 0;
  private stopLive?: () => void;
  /** True while the workspace's live stream is open. */
  live = false;

  constructor(
    readonly baseUrl: string,
    readonly tokens: TokenSource,
    fetchImpl?: typeof fetch,
  ) {
    this.api = createApi({ baseUrl, token: (force) => tokens.get(force), fetch: fetchImpl });
  }

  private cached<T>(key: string, load: () => Promise<T>, refresh = false): Promise<T> {
    if (refresh || !this.cache.has(key)) {
      const pending = load();
      pending.catch(() => this.cache.delete(key));
      this.cache.set(key, pending);
    }
    return this.cache.get(key) as Promise<T>;
  }

  session(refresh = false): Promise<Session> {
    return this.cached('session', () => unwrap(this.api.api.v1.me.$get()) as Promise<Session>, refresh);
  }

  members(refresh = false): Promise<MemberJson[]> {
    return this.cached('members', async () => (await unwrap(this.api.api.v1.members.$get())).items, refresh);
  }

  /** The workspace's teams (the table's team column, filter and "My team" inbox). */
  teams(refresh = false): Promise<TeamJson[]> {
    return this.cached('teams', async () => (await unwrap(this.api.api.v1.teams.$get())).items, refresh);
  }

  customFields(refresh = false): Promise<CustomFieldJson[]> {
    return this.cached('fields', async () => (await unwrap(this.api.api.v1['custom-fields'].$get())).items as CustomFieldJson[], refresh);
  }

  async can(permission: Permission): Promise<boolean> {
    return (await this.session()).permissions.includes(permission);
  }

  /**
   * Follows the workspace's contact changes while any widget does: one stream per provider, opened on the first call,
   * closed when the last caller calls the function returned. Changes arrive on the bus as `contact-changed`.
   */
  follow(): () => void {
    if (!this.followers++) {
      this.stopLive = openLive(this, {
        ticket: async () => (await unwrap(this.api.api.v1.contacts.events.ticket.$post())).ticket,
        path: (ticket) => `/api/v1/contacts/events?ticket=${encodeURIComponent(ticket)}`,
        on: {
          contact: (event: ContactStreamEvent) => this.publish({ type: 'contact-changed', event }),
          item: (event: ContactItemStreamEvent) => this.publish({ type: 'contact-item', event }),
        },
        ready: (again) => {
          this.live = true;
          if (again) this.publish({ type: 'live-resumed' });
        },
      });
    }
    let done = false;
    return () => {
      if (!done && (done = true) && !--this.followers) {
        this.stopLive!();
        this.live = false;
      }
    };
  }

  publish(event: BusEvent) {
    if (event.type === 'contact-list') {
      this.listIds = event.ids;
      this.listPlace = { offset: event.offset ?? 0, total: event.total ?? null, estimated: event.estimated ?? false, idAt: event.idAt };
    }
    this.bus.dispatchEvent(new CustomEvent('change', { detail: event }));
  }
}
