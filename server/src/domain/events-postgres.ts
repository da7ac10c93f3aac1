// The event feed across server processes on one PostgreSQL: each event is delivered at once to this process's
// listeners and sent to the others with NOTIFY (small JSON payloads; a contact event listing many contacts goes
// as several). Each process LISTENs on a connection of its own, outside the pool, and reconnects when it drops.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { log } from '../log.js';
import { InProcessFeed, type DomainEvent, type EventFeed, type Listener } from './events.js';

export const EVENTS_CHANNEL = 'dossier_events';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7_500;

interface Envelope {
  /** The process that published it (it has delivered it already). */
  from: string;
  event: DomainEvent;
}

export class PostgresFeed implements EventFeed {
  private readonly local = new InProcessFeed();
  private readonly id = randomUUID();
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = 250;
  /** Resolves once LISTEN is in place (tests wait for it before publishing elsewhere). */
  readonly ready: Promise<void>;

  constructor(
    private readonly url: string,
    /** Runs NOTIFY; the app's pool, so publishing needs no connection of its own. */
    private readonly notify: (channel: string, payload: string) => Promise<unknown>,
  ) {
    this.ready = this.listen();
  }

  subscribe(workspaceId: string, listener: Listener) {
    return this.local.subscribe(workspaceId, listener);
  }

  subscribeAll(listener: Listener) {
    return this.local.subscribeAll(listener);
  }

  listenerCount() {
    return this.local.listenerCount();
  }

  publish(event: DomainEvent): void {
    this.local.publish(event);
    for (const payload of this.payloads(event)) {
      this.notify(EVENTS_CHANNEL, payload).catch((err: unknown) => log.error('event NOTIFY failed', err, { type: event.type }));
    }
  }

  async close() {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  /** The event as NOTIFY payloads: one, or for a contact event too large for one, its contacts split over several. */
  private payloads(event: DomainEvent): string[] {
    const one = JSON.stringify({ from: this.id, event } satisfies Envelope);
    if (one.length <= MAX_PAYLOAD) return [one];
    if (!('contacts' in event) || event.contacts.length < 2) {
      log.error('event too large to send to other processes', undefined, { type: event.type, bytes: one.length });
      return [];
    }
    const half = Math.ceil(event.contacts.length / 2);
    return [...this.payloads({ ...event, contacts: event.contacts.slice(0, half) }), ...this.payloads({ ...event, contacts: event.contacts.slice(half) })];
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
      try {
        const { from, event } = JSON.parse(message.payload) as Envelope;
        if (from !== this.id) this.local.publish(event);
      } catch (err) {
        log.error('unreadable event notification', err);
      }
    });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      if (this.closed) return;
      log.error('event listener connection lost; reconnecting', err);
      // Events sent meanwhile are missed: access changes among them are bounded by the caller cache's TTL.
      setTimeout(() => void this.listen(), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.client = client;
      this.retryMs = 250;
      if (this.closed) await client.end();
    } catch (err) {
      await client.end().catch(() => undefined);
      if (this.closed) return;
      log.error('could not listen for events; retrying', err);
      await new Promise((r) => setTimeout(r, this.retryMs).unref());
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
      return this.listen();
    }
  }
}
