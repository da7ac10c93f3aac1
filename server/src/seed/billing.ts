// Demo billing: a small price list (one-off and recurring products) and, on two of the newest contacts, an invoice
// with a discount and a tax — one sent, one paid. Created through the API with the secret key, exactly as a host
// backend would, so totals, numbers, hosted links, audit rows and the Activity timeline are the real thing.
// Subscriptions need a saved card: the payments seed adds them with its cards. Written once per workspace.
import type { OpenedDb } from '../db/connection.js';
import type { createApp } from '../app.js';

const DAY = 86_400_000;

export async function ensureDemoBilling(app: ReturnType<typeof createApp>, opened: OpenedDb, demo: { workspaceId: string; secretKey: string }, origin: string): Promise<void> {
  if (await opened.db.selectFrom('products').select('id').where('workspace_id', '=', demo.workspaceId).limit(1).executeTakeFirst()) return;
  const headers = { authorization: `Bearer ${demo.secretKey}`, 'content-type': 'application/json' };
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await app.request(`${origin}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`demo billing ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const workshop = await post<{ id: string }>('/products', { name: 'Onboarding workshop', description: 'Half a day with your team', unitAmount: 45_000, currency: 'USD', kind: 'one_off' });
  await post('/products', { name: 'Extra seat', unitAmount: 1_500, currency: 'USD', kind: 'one_off' });
  await post('/products', { name: 'Pro plan', unitAmount: 4_900, currency: 'USD', kind: 'recurring', interval: 'month' });
  await post('/products', { name: 'Annual support', unitAmount: 99_000, currency: 'USD', kind: 'recurring', interval: 'year' });
  const contacts = await opened.db.selectFrom('contacts').select('id').where('workspace_id', '=', demo.workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(2).execute();
  for (const [i, c] of contacts.entries()) {
    const inv = await post<{ id: string }>(`/contacts/${c.id}/invoices`, {
      currency: 'USD',
      lines: [{ productId: workshop.id, taxIds: ['vat'] }, { description: 'Extra seats', quantity: '3', unitAmount: 1_500, discount: { percent: '10' }, taxIds: ['vat'] }],
      taxes: [{ id: 'vat', name: 'VAT', percent: '20' }],
      dueAt: Date.now() + (30 - i * 20) * DAY,
      notes: 'Thank you for your business.',
    });
    await post(`/contacts/${c.id}/invoices/${inv.id}/send`, { channel: 'email' });
    if (i === 1) await post(`/contacts/${c.id}/invoices/${inv.id}/pay`, { method: 'manual', note: 'Bank transfer' });
  }
}
