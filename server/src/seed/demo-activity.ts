// Realistic activity for the demo's newest contacts, recorded through the API with the secret key exactly as a host
// backend would: website visits with UTM parameters, form submissions, messages in and out, calls, purchases and
// payments, spread over the last weeks. Every event has a host id, so a restart records nothing twice; the first
// one's presence skips the whole run.
import type { App } from '../app.js';
import type { OpenedDb } from '../db/connection.js';
import { log } from '../log.js';

const DAY = 86_400_000;
const CAMPAIGNS = [
  { source: 'google', medium: 'cpc', campaign: 'spring-sale', term: 'crm for agencies', gclid: true },
  { source: 'facebook', medium: 'paid_social', campaign: 'retargeting-q4', fbclid: true },
  { source: 'newsletter', medium: 'email', campaign: 'november-digest' },
  { source: 'linkedin', medium: 'social', campaign: 'founder-post' },
  { referrer: 'https://www.google.com/' },
  { referrer: 'https://news.ycombinator.com/item?id=4242' },
  {},
] as const;
const PAGES = ['/', '/pricing', '/features/documents', '/blog/share-links-that-convert', '/customers/globex', '/book-a-demo', '/integrations'];
const PRODUCTS = [
  ['Starter plan (annual)', 290],
  ['Pro plan (monthly)', 49],
  ['Onboarding package', 450],
  ['Extra seats ×5', 75],
] as const;

/** A small deterministic generator, so every demo gets the same story. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export async function ensureDemoActivity(app: App, opened: OpenedDb, demo: { workspaceId: string; secretKey: string }, contacts = 30): Promise<void> {
  const done = await opened.db.selectFrom('activities').select('id').where('workspace_id', '=', demo.workspaceId).where('external_id', '=', 'demo-0-0').executeTakeFirst();
  if (done) return;
  const rows = await opened.db
    .selectFrom('contacts')
    .leftJoin('contact_emails as e', (j) => j.onRef('e.contact_id', '=', 'contacts.id').on('e.is_primary', '=', 1))
    .select(['contacts.id', 'e.value as email'])
    .where('contacts.workspace_id', '=', demo.workspaceId)
    .where('contacts.deleted_at', 'is', null)
    .orderBy('contacts.created_at', 'desc')
    .orderBy('contacts.id', 'desc')
    .limit(contacts)
    .execute();
  const json = { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' };
  const send = async (path: string, body: unknown) => {
    const res = await app.request(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`demo activity ${path}: ${res.status} ${await res.text()}`);
  };
  const now = Date.now();
  let total = 0;
  for (const [i, c] of rows.entries()) {
    const r = rng(1000 + i);
    const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
    let n = 0;
    const id = () => `demo-${i}-${n++}`;
    // The story runs forward from 25–55 days ago: a first visit from a campaign, more visits, a form, talk, a purchase.
    let at = now - (25 + Math.floor(r() * 30)) * DAY - Math.floor(r() * DAY);
    const step = () => (at = Math.min(at + Math.floor((0.1 + r() * 3) * DAY * 0.6), now - 5 * 60_000));
    const visit = (touch: (typeof CAMPAIGNS)[number]) => {
      const params = new URLSearchParams();
      if ('source' in touch) for (const k of ['source', 'medium', 'campaign', 'term'] as const) if (k in touch && touch[k as keyof typeof touch]) params.set(`utm_${k}`, String(touch[k as keyof typeof touch]));
      if ('gclid' in touch) params.set('gclid', `Cj0K${i}x${n}`);
      if ('fbclid' in touch) params.set('fbclid', `IwAR${i}y${n}`);
      const query = params.size ? `?${params}` : '';
      return send(`/api/v1/contacts/${c.id}/events`, { id: id(), kind: 'visit', url: `https://acme.example${pick(PAGES)}${query}`, ...('referrer' in touch ? { referrer: touch.referrer } : {}), at: step(), data: { pagesViewed: 1 + Math.floor(r() * 6), seconds: 20 + Math.floor(r() * 400) } });
    };
    await visit(pick(CAMPAIGNS));
    for (let v = Math.floor(r() * 3); v > 0; v--) await visit(CAMPAIGNS[CAMPAIGNS.length - 1]!);
    if (r() < 0.7) await send(`/api/v1/contacts/${c.id}/events`, { id: id(), kind: r() < 0.75 ? 'form_submission' : 'survey_submission', form: pick(['Book a demo', 'Pricing enquiry', 'Newsletter sign-up', 'Customer survey']), at: step() });
    if (c.email && r() < 0.8) {
      await send('/api/v1/messages', { channel: 'email', direction: 'inbound', contact: { email: c.email }, subject: pick(['Question about pricing', 'Can we talk this week?', 'Re: your proposal']), text: 'Hi, thanks for the info. Could you tell me more about the Pro plan and how the share links work?', externalId: id(), at: step() });
      await send('/api/v1/messages', { channel: 'email', direction: 'outbound', contact: { email: c.email }, subject: 'Re: your question', text: 'Happy to help — I have put a proposal together and booked a call for Thursday.', externalId: id(), at: step() });
    }
    if (r() < 0.6) await send(`/api/v1/contacts/${c.id}/events`, { id: id(), kind: 'call', direction: r() < 0.5 ? 'inbound' : 'outbound', durationSeconds: 60 + Math.floor(r() * 1500), title: pick(['Discovery call', 'Follow-up call', 'Pricing questions']), at: step() });
    if (r() < 0.5) {
      const [title, amount] = pick(PRODUCTS);
      await send(`/api/v1/contacts/${c.id}/events`, { id: id(), kind: 'purchase', title, amount, currency: 'USD', at: step() });
      if (r() < 0.6) await send(`/api/v1/contacts/${c.id}/events`, { id: id(), kind: 'payment', title: `Invoice INV-${2000 + i}`, amount, currency: 'USD', at: step() });
    }
    if (r() < 0.5) await visit(pick(CAMPAIGNS));
    total += n;
  }
  log.info(`demo activity seeded: ${total} events on ${rows.length} contacts`);
}
