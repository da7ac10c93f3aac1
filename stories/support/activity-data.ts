// Timeline events and attribution for the <contact-activity> stories (the shapes GET /contacts/:id/activity and
// GET /contacts/:id/attribution answer).
import type { ActivityJson, Attribution, TouchJson } from '../../packages/core/src/types.js';
import { NOW } from './sample-data.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const base = (over: Partial<ActivityJson> & Pick<ActivityJson, 'id' | 'kind' | 'group' | 'title' | 'at'>): ActivityJson => ({
  channel: null,
  direction: null,
  details: null,
  url: null,
  amount: null,
  attribution: null,
  view: null,
  documents: [],
  audit: null,
  data: {},
  ...over,
});

const google: Attribution = { source: 'google', medium: 'cpc', campaign: 'spring-sale', term: 'crm for agencies', content: null, referrer: 'https://www.google.com/', url: 'https://acme.example/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring-sale', gclid: 'Cj0KCQ', fbclid: null, channel: 'paid_search', at: NOW - 20 * DAY };
const newsletter: Attribution = { source: 'newsletter', medium: 'email', campaign: 'november-digest', term: null, content: 'hero-button', referrer: null, url: 'https://acme.example/book-a-demo', gclid: null, fbclid: null, channel: 'email', at: NOW - 2 * HOUR };

export const activity: ActivityJson[] = [
  base({ id: 'ac_9', kind: 'payment', group: 'purchase', title: 'Invoice INV-2042', at: NOW - 20 * 60_000, amount: { value: 450, currency: 'USD' }, direction: 'inbound' }),
  base({ id: 'ac_8', kind: 'visit', group: 'visit', title: 'acme.example/book-a-demo', url: newsletter.url, at: NOW - 2 * HOUR, attribution: newsletter, direction: 'inbound' }),
  base({ id: 'ac_7', kind: 'message', group: 'message', channel: 'whatsapp', direction: 'inbound', title: 'Can we move the call to Thursday?', at: NOW - 5 * HOUR }),
  base({ id: 'ev_6', kind: 'contact.updated', group: 'field_change', title: 'contact.updated', at: NOW - DAY - HOUR, audit: { id: 'ev_6', action: 'contact.updated', actor: { id: 'mb_ada', type: 'member', name: 'Ada Agent' }, changes: { tags: { before: ['lead'], after: ['lead', 'vip'] } }, context: {}, at: NOW - DAY - HOUR } }),
  base({ id: 'ac_5', kind: 'call', group: 'call', channel: 'call', direction: 'outbound', title: 'Discovery call', at: NOW - DAY - 3 * HOUR, data: { durationSeconds: 1_260, actor: { id: 'mb_ada', name: 'Ada Agent' } } }),
  base({ id: 'ac_4', kind: 'document_view', group: 'share_view', channel: 'email', direction: 'inbound', title: 'Viewed "Acme proposal.pdf" via "Client link"', at: NOW - 3 * DAY, view: { linkId: 'sl_1', documentId: 'doc_1', durationMs: 272_000, pages: [1, 2, 3, 5], downloaded: true } }),
  base({ id: 'ac_3', kind: 'message', group: 'message', channel: 'email', direction: 'outbound', title: 'Your proposal', details: 'Hi Jane, the proposal is attached — happy to walk you through it.', at: NOW - 4 * DAY, documents: [{ id: 'doc_1', name: 'Acme proposal.pdf' }] }),
  base({ id: 'ac_2', kind: 'form_submission', group: 'form', title: 'Book a demo submitted', at: NOW - 19 * DAY, data: { form: 'Book a demo' }, direction: 'inbound' }),
  base({ id: 'ac_1', kind: 'visit', group: 'visit', title: 'acme.example/pricing', url: google.url, at: NOW - 20 * DAY, attribution: google, direction: 'inbound' }),
];

const touch = (a: Attribution, activityId: string, kind: string, title: string): TouchJson => ({ ...a, activityId, kind, title, at: a.at! });
export const attribution = {
  first: google,
  latest: newsletter,
  touches: [touch(newsletter, 'ac_8', 'visit', 'acme.example/book-a-demo'), { ...touch({ channel: 'whatsapp', at: NOW - 5 * HOUR }, 'ac_7', 'message', 'Can we move the call to Thursday?') }, touch(google, 'ac_1', 'visit', 'acme.example/pricing')],
  truncated: false,
};
export const noAttribution = { first: null, latest: null, touches: [], truncated: false };

/** 160 events over 40 days, for the long-list and paging stories. */
export const manyEvents: ActivityJson[] = Array.from({ length: 160 }, (_, i) => {
  const at = NOW - i * 6 * HOUR;
  return i % 4 === 0
    ? base({ id: `ac_m${i}`, kind: 'visit', group: 'visit', title: `acme.example/blog/post-${i}`, url: `https://acme.example/blog/post-${i}`, at })
    : i % 4 === 1
      ? base({ id: `ac_m${i}`, kind: 'message', group: 'message', channel: 'sms', direction: i % 8 === 1 ? 'inbound' : 'outbound', title: `Reminder ${i}: your appointment is tomorrow at 10 — reply YES to confirm or call us to reschedule.`, at })
      : i % 4 === 2
        ? base({ id: `ac_m${i}`, kind: 'purchase', group: 'purchase', title: `Order #${1000 + i}`, amount: { value: 19.9 + i, currency: 'EUR' }, at })
        : base({ id: `ac_m${i}`, kind: 'custom', group: 'custom', title: `Webinar “Scaling a small agency to ${i} clients without hiring” attended`, details: 'Stayed 54 minutes, asked two questions.', at });
});
