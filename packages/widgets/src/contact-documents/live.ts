// Live updates for one contact's documents over Server-Sent Events. EventSource cannot send headers, so the
// session token goes in `?token=`; the server ends the stream when that token expires, and we reconnect with
// a fresh one (backing off after failures). `onReady(again)` tells the caller to catch up after a reconnect.
import type { DossierClient } from '../../../core/src/client.js';
import type { DocumentJson } from '../../../core/src/types.js';

export interface LiveEvent {
  type: 'created' | 'updated' | 'deleted' | 'restored';
  document: DocumentJson;
}

export class LiveDocuments {
  private source?: EventSource;
  private timer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private opened = false;
  private stopped = false;

  constructor(
    private readonly client: DossierClient,
    private readonly contactId: string,
    private readonly onEvent: (e: LiveEvent) => void,
    private readonly onReady: (reconnected: boolean) => void,
  ) {
    void this.connect();
  }

  private async connect() {
    let token: string;
    try {
      // After a failed attempt the token may be the reason (expired, revoked): ask for a fresh one.
      token = await this.client.tokens.get(this.failures > 0);
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const base = this.client.baseUrl.replace(/\/$/, '');
    const es = new EventSource(`${base}/api/v1/contacts/${encodeURIComponent(this.contactId)}/documents/events?token=${encodeURIComponent(token)}`);
    this.source = es;
    es.addEventListener('ready', () => {
      this.failures = 0;
      this.onReady(this.opened);
      this.opened = true;
    });
    es.addEventListener('document', (e) => {
      try {
        this.onEvent(JSON.parse((e as MessageEvent<string>).data) as LiveEvent);
      } catch {
        // a malformed event is skipped
      }
    });
    // The browser would retry with the same (possibly expired) URL: take over and reconnect with a new token.
    es.onerror = () => {
      es.close();
      if (this.source === es) this.retry();
    };
  }

  private retry() {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6)) * (0.75 + Math.random() / 2);
    this.timer = setTimeout(() => void this.connect(), this.failures === 1 ? 250 : delay);
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
  }
}
