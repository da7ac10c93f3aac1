// Sends the webhook outbox. Any number of server processes may run a worker on the same database: a worker claims
// rows with one conditional UPDATE (a claim lapses after a lease, so a crashed worker's rows are sent by another),
// sends them, and records the outcome. Per endpoint, a contact's deliveries go out one after the other in the order
// they were written; a failed attempt is retried with exponential backoff until the retry window closes.
import type { Db } from '../db/connection.js';
import { webhookLimits, type AppConfig, type Clock, type WebhookLimits } from '../deps.js';
import { newId } from '../ids.js';
import { log } from '../log.js';
import { outboxWritten } from './webhook-outbox.js';
import { sendWebhook, type SendResult } from './webhook-send.js';

/** Delay before the retry that follows `failures` failed attempts: 30 s, 1 min, 2 min… up to the cap (6 h). */
export function retryDelay(limits: Pick<WebhookLimits, 'firstRetryMs' | 'maxRetryDelayMs'>, failures: number): number {
  return Math.min(limits.maxRetryDelayMs, limits.firstRetryMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/** How long a claim outlives its attempt's timeout (time to record the outcome). */
export const CLAIM_GRACE_MS = 15_000;

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  config?: AppConfig;
}

export class WebhookWorker {
  private readonly limits: WebhookLimits;
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly onWritten = () => this.kick();

  constructor(private readonly deps: WorkerDeps) {
    this.limits = webhookLimits(deps.config);
  }

  /** Polls for due deliveries, and looks at once when this process writes some. */
  start(): this {
    this.timer = setInterval(() => this.kick(), this.limits.pollMs);
    this.timer.unref();
    outboxWritten.on('written', this.onWritten);
    this.kick();
    return this;
  }

  /** Stops polling and waits for the attempts in flight (their outcome is recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    outboxWritten.off('written', this.onWritten);
    await this.running;
  }

  private kick() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // After the writer's transaction: the write lock is released by then (and a rolled-back write leaves no row).
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        while (!this.stopped && (await this.runOnce()) > 0);
      })
      .catch((err: unknown) => log.error('webhook worker failed', err))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Claims one batch of due deliveries, sends them, records the outcomes; answers how many were attempted. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.rows.map((row) => this.attempt(row, claimed.token)));
    return claimed.rows.length;
  }

  /** Runs batches until nothing is due (tests, the bench). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n; (n = await this.runOnce()) > 0; ) total += n;
    return total;
  }

  private async claim() {
    const { db, clock } = this.deps;
    const now = clock.now();
    const free = (eb: any) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<', now)]);
    const due = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('e.enabled', '=', 1)
      .where(free)
      // Per endpoint and contact, only the oldest pending delivery may go.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
              .whereRef('p.contact_id', '=', 'd.contact_id')
              .where('p.status', '=', 'pending')
              .whereRef('p.seq', '<', 'd.seq'),
          ),
        ),
      )
      .orderBy('d.seq')
      .limit(this.limits.batchSize)
      .execute();
    const token = newId('clm_');
    if (!due.length) return { token, rows: [] };
    // Atomic: another worker that picked the same rows claims only those still free. The lease outlasts an attempt
    // (its timeout) and the write of its outcome; a process killed mid-send leaves rows that lapse after it.
    const lease = this.limits.timeoutMs + CLAIM_GRACE_MS;
    await db
      .updateTable('webhook_deliveries as d')
      .set({ claim_token: token, claimed_until: now + lease })
      .where('d.id', 'in', due.map((r) => r.id))
      .where('d.status', '=', 'pending')
      .where(free)
      .execute();
    const rows = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'd.event_id', 'd.payload', 'd.attempts', 'd.created_at', 'e.url', 'e.secret'])
      .where('d.claim_token', '=', token)
      .where('d.status', '=', 'pending')
      .orderBy('d.seq')
      .execute();
    return { token, rows };
  }

  private async attempt(row: { id: string; event_id: string; payload: string; attempts: number; created_at: number; url: string; secret: string }, token: string) {
    const { db, clock } = this.deps;
    const result: SendResult = await sendWebhook(
      { url: row.url, secret: row.secret },
      { eventId: row.event_id, payload: row.payload, timestampMs: clock.now() },
      { timeoutMs: this.limits.timeoutMs, allowPrivate: this.limits.allowPrivate },
    );
    const now = clock.now();
    const attempts = row.attempts + 1;
    const common = { attempts, response_status: result.status, latency_ms: result.latencyMs, claim_token: null, claimed_until: null, updated_at: now };
    let set;
    if (result.ok) {
      set = { ...common, status: 'delivered' as const, last_error: null, delivered_at: now };
    } else {
      const next = now + retryDelay(this.limits, attempts);
      const expired = next > row.created_at + this.limits.retryWindowMs;
      set = { ...common, last_error: result.error, ...(expired ? { status: 'failed' as const } : { next_attempt_at: next }) };
      if (expired) log.warn(`webhook delivery ${row.id} failed for good after ${attempts} attempts`, { delivery: row.id, error: result.error });
    }
    await db.updateTable('webhook_deliveries').set(set).where('id', '=', row.id).where('claim_token', '=', token).execute();
  }
}
