// Verified widget tokens, remembered briefly: verifying a token's signature and reading its workspace and member
// cost more than the rest of a small request. An entry is dropped when its workspace publishes `access.changed`
// (a member's role, restriction, name or email changed; the workspace changed or was deleted) — on PostgreSQL
// that event reaches every server process (events-postgres.ts) — and after `ttlMs` in any case, which bounds what
// a writer outside the servers (the CLI) leaves stale.
import type { EventFeed } from '../domain/events.js';
import type { Caller } from './env.js';

interface Entry {
  caller: Caller;
  /** When the token itself expires (ms). */
  expiresAt: number;
  /** When this entry must be verified again (ms). */
  freshUntil: number;
}

export class CallerCache {
  private readonly entries = new Map<string, Entry>();
  /** Tokens cached per workspace. */
  private readonly byWorkspace = new Map<string, Set<string>>();

  constructor(
    feed: EventFeed,
    private readonly ttlMs = 10_000,
    private readonly max = 10_000,
  ) {
    feed.subscribeAll((e) => {
      if (e.type === 'access.changed') this.dropWorkspace(e.workspaceId);
    });
  }

  get(token: string, now: number): { caller: Caller; expiresAt: number } | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    if (now >= entry.freshUntil || now >= entry.expiresAt) {
      this.forget(token, entry);
      return null;
    }
    return entry;
  }

  set(token: string, caller: Caller, expiresAt: number, now: number): void {
    if (this.entries.size >= this.max) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.forget(oldest, entry);
    }
    const ws = caller.workspace.id;
    let tokens = this.byWorkspace.get(ws);
    if (!tokens) this.byWorkspace.set(ws, (tokens = new Set()));
    tokens.add(token);
    this.entries.set(token, { caller, expiresAt, freshUntil: now + this.ttlMs });
  }

  /** Forgets every token of the workspace (its next request verifies and reads the member again). */
  dropWorkspace(workspaceId: string): void {
    for (const token of this.byWorkspace.get(workspaceId) ?? []) this.entries.delete(token);
    this.byWorkspace.delete(workspaceId);
  }

  get size() {
    return this.entries.size;
  }

  private forget(token: string, entry: Entry) {
    this.entries.delete(token);
    const ws = entry.caller.workspace.id;
    const tokens = this.byWorkspace.get(ws);
    tokens?.delete(token);
    if (tokens?.size === 0) this.byWorkspace.delete(ws);
  }
}
