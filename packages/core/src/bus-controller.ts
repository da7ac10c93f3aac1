import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BusEvent, DossierClient } from './client.js';

/**
 * Keeps a widget on its provider's bus while it is connected, and (unless `follow` is false) following the workspace's
 * live stream, which puts changes made anywhere else on that bus; moves along when the provider's client changes.
 * A widget that only needs the stream when others open it passes `follow: false`: each stream holds one of the
 * browser's few HTTP/1.1 connections to the server.
 */
export class BusController implements ReactiveController {
  private client?: DossierClient;
  private unfollow?: () => void;
  private listener = (e: Event) => this.onEvent((e as CustomEvent<BusEvent>).detail);
  private connected = false;
  /** Removed from the page while attached: changes made meanwhile were not heard. */
  private missed = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly clientOf: () => DossierClient | undefined,
    private readonly onEvent: (event: BusEvent) => void,
    private readonly follow = true,
  ) {
    host.addController(this);
  }

  hostConnected() {
    this.connected = true;
    this.hostUpdated();
    // Back in the page (a record tab shown again): what changed while away was not heard, as after a stream break.
    if (this.missed && this.client) this.onEvent({ type: 'live-resumed' });
    this.missed = false;
  }

  hostUpdated() {
    // Lit still runs an update that was pending when the host was removed: a removed host must not follow again
    // (each stream it left open would hold one of the browser's connections until the page closes).
    if (this.connected && this.clientOf() !== this.client) this.attach(this.clientOf());
  }

  hostDisconnected() {
    this.connected = false;
    this.missed = Boolean(this.client);
    this.attach(undefined);
  }

  private attach(client: DossierClient | undefined) {
    this.client?.bus.removeEventListener('change', this.listener);
    this.unfollow?.();
    this.unfollow = undefined;
    this.client = client;
    if (!client) return;
    client.bus.addEventListener('change', this.listener);
    if (this.follow) this.unfollow = client.follow();
  }
}
