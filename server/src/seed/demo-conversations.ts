// Realistic conversations for the demo's newest contacts, pushed through POST /api/v1/messages with the secret key as
// a host backend would: SMS and WhatsApp back-and-forth, an email thread with an HTML body, Instagram and Facebook
// DMs, calls with a summary, and attachments (a proposal PDF, a signed form, a photo's notes) that land in the
// contact's Documents. Every message has an external id, so a restart records nothing twice; the first one's
// presence skips the whole run.
import type { App } from '../app.js';
import type { OpenedDb } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import { log } from '../log.js';
import { samplePdf } from './sample-pdf.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Msg = Record<string, unknown> & { at: number };
type Who = { email: string | null; phone: string | null; first: string };

/** One contact's story, oldest message first; `files` go with the message at the same index. */
function story(k: number, who: Who, now: number): { messages: Msg[]; files: Map<number, { name: string; bytes: Buffer }> } {
  const messages: Msg[] = [];
  const files = new Map<number, { name: string; bytes: Buffer }>();
  let at = now - (6 + (k % 5)) * DAY - (k % 7) * HOUR;
  const next = (gap: number) => (at = Math.min(at + gap, now - 3 * MIN));
  const agent = { name: ['Sam Rivera', 'Priya Shah', 'Jonas Berg'][k % 3] };
  const phone = who.phone ? { phone: who.phone } : null;
  const email = who.email ? { email: who.email } : null;
  if (phone) {
    const channel = k % 2 ? 'whatsapp' : 'sms';
    messages.push({ channel, contact: phone, text: `Hi, this is ${who.first}. Is the onboarding call still on for Thursday?`, at: next(0) });
    messages.push({ channel, direction: 'outbound', contact: phone, sender: agent, text: `Hi ${who.first}! Yes — Thursday 10:00. I'll send the agenda here.`, at: next(12 * MIN) });
    messages.push({ channel, direction: 'outbound', contact: phone, sender: agent, text: 'Agenda: 1) your current process 2) import 3) share links.\nDetails: https://acme.example/onboarding', at: next(3 * MIN) });
    if (channel === 'whatsapp') {
      messages.push({ channel, contact: phone, text: 'Here is the signed order form 👍', at: next(5 * HOUR) });
      files.set(messages.length - 1, { name: 'Signed order form.pdf', bytes: samplePdf(1, `Order form — ${who.first}`) });
    } else {
      messages.push({ channel, contact: phone, text: 'Perfect, thanks. Talk then!', at: next(40 * MIN) });
    }
  }
  if (email) {
    const thread = `demo-thread-${k}`;
    messages.push({
      channel: 'email', contact: email, threadId: thread, subject: 'Question about the Pro plan', sender: { name: who.first, address: who.email },
      text: `Hello,\n\nCould you tell me more about the Pro plan and how share links work?\n\nThanks,\n${who.first}`,
      html: `<p>Hello,</p><p>Could you tell me more about the <b>Pro plan</b> and how share links work?</p><p>Thanks,<br>${who.first}</p>`,
      at: next(DAY),
    });
    messages.push({
      channel: 'email', direction: 'outbound', contact: email, threadId: thread, subject: 'Re: Question about the Pro plan', sender: { name: agent.name, address: 'sales@acme.example' },
      text: `Hi ${who.first},\n\nThe proposal is attached. Share links show you who opened a document and for how long.\n\nBest,\n${agent.name}`,
      html: `<p>Hi ${who.first},</p><p>The proposal is attached. Share links show you <i>who</i> opened a document and for how long — see <a href="https://acme.example/features/documents">the feature page</a>.</p><blockquote>Could you tell me more about the Pro plan?</blockquote><p>Best,<br>${agent.name}</p>`,
      at: next(2 * HOUR),
    });
    files.set(messages.length - 1, { name: 'Pro plan proposal.pdf', bytes: samplePdf(3, `Pro plan proposal for ${who.first}`) });
    if (k % 3 === 0) messages.push({ channel: 'email', contact: email, threadId: thread, subject: 'Re: Question about the Pro plan', sender: { name: who.first, address: who.email }, text: 'Looks good — we will go ahead.', at: next(DAY) });
  }
  if (phone && k % 2 === 0) {
    messages.push({ channel: 'call', direction: k % 4 ? 'inbound' : 'outbound', contact: phone, sender: agent, call: { durationSeconds: 240 + k * 37, summary: `Walked ${who.first} through the import wizard; follow up with the custom fields list.` }, at: next(3 * HOUR) });
  }
  if (k % 3 === 1) {
    const handle = `${who.first.toLowerCase().replace(/[^a-z]/g, '')}.${k}`;
    const channel = k % 2 ? 'instagram' : 'facebook';
    const identity = { handle, ...(email ?? phone ?? {}) };
    messages.push({ channel, contact: identity, text: 'Saw your post about share links — does it work with WhatsApp too?', at: next(5 * HOUR) });
    messages.push({ channel, direction: 'outbound', contact: identity, sender: agent, text: 'It does! The viewer verifies their number with a one-time code.', at: next(20 * MIN) });
  }
  return { messages, files };
}

export async function ensureDemoConversations(app: App, opened: OpenedDb, demo: { workspaceId: string; secretKey: string }, contacts = 14): Promise<void> {
  const db = opened.db;
  const done = await db.selectFrom('activities').select('id').where('workspace_id', '=', demo.workspaceId).where(engineOf(db).json.text('data', ['externalId']), '=', 'demo-conv-0-0').executeTakeFirst();
  if (done) return;
  const rows = await db
    .selectFrom('contacts')
    .leftJoin('contact_emails as e', (j) => j.onRef('e.contact_id', '=', 'contacts.id').on('e.is_primary', '=', 1))
    .leftJoin('contact_phones as p', (j) => j.onRef('p.contact_id', '=', 'contacts.id').on('p.is_primary', '=', 1))
    .select(['contacts.id', 'contacts.first_name', 'e.value as email', 'p.value as phone'])
    .where('contacts.workspace_id', '=', demo.workspaceId)
    .where('contacts.deleted_at', 'is', null)
    .orderBy('contacts.created_at', 'desc')
    .orderBy('contacts.id', 'desc')
    .limit(contacts)
    .execute();
  const auth = { authorization: `Bearer ${demo.secretKey}` };
  const now = Date.now();
  let total = 0;
  for (const [k, c] of rows.entries()) {
    const { messages, files } = story(k, { email: c.email, phone: c.phone, first: c.first_name ?? 'there' }, now);
    for (const [n, m] of messages.entries()) {
      const body = { ...m, externalId: `demo-conv-${k}-${n}` };
      const file = files.get(n);
      let res: Response;
      if (file) {
        const form = new FormData();
        form.append('message', JSON.stringify(body));
        form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
        res = await app.request('/api/v1/messages', { method: 'POST', headers: auth, body: form });
      } else {
        res = await app.request('/api/v1/messages', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      }
      if (res.status >= 300) throw new Error(`demo conversations: ${res.status} ${await res.text()}`);
      total++;
    }
  }
  log.info(`demo conversations seeded: ${total} messages on ${rows.length} contacts`);
}
