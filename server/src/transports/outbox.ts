// The dev transport (default when nothing is configured): "sends" by storing the message in the outbox table
// and printing it to the server log, so a developer reads the code in the demo's Dev inbox.
import type { Db } from '../db/connection.js';
import type { Clock } from '../deps.js';
import { newId } from '../ids.js';
import { log as logLine } from '../log.js';
import { emailText, type OtpMessage, type Transport } from './transport.js';

export class OutboxTransport implements Transport {
  readonly name = 'outbox';
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: (line: string) => void = (line) => logLine.info(line),
  ) {}

  async send(m: OtpMessage): Promise<void> {
    const { subject, text } = m.channel === 'email' ? emailText(m) : { subject: `WhatsApp code ${m.code}`, text: `${m.code} is your verification code. For your security, do not share this code.` };
    await this.db
      .insertInto('outbox')
      .values({ id: newId('ob_'), workspace_id: m.workspaceId, channel: m.channel, to_address: m.to, subject, body: text, created_at: this.clock.now() })
      .execute();
    this.log(`outbox (${m.channel}) to ${m.to}: ${subject}`);
  }
}

export interface OutboxMessageJson {
  id: string;
  channel: string;
  to: string;
  subject: string;
  body: string;
  createdAt: number;
}

/** Newest first; the dev inbox page reads these. */
export async function listOutbox(db: Db, limit = 50): Promise<OutboxMessageJson[]> {
  const rows = await db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, channel: r.channel, to: r.to_address, subject: r.subject, body: r.body, createdAt: r.created_at }));
}
