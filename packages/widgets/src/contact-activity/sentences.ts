// One readable line per timeline event, every word from the message catalogue, and the small facts under it.
import { html, svg, type TemplateResult } from 'lit';
import { getLocale, plural, t } from '../../../core/src/i18n.js';
import type { ActivityJson, Attribution } from '../../../core/src/types.js';
import { auditSentence, type AuditSubject } from '../contact-record/audit-sentences.js';
import './messages.js';

const MESSAGE_CHANNELS = new Set(['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'webchat']);
/** The summary share-link views are stored with (names of the document and the link at the time). */
const VIEW_SUMMARY = /^Viewed "(.*)" via "(.*)"$/;

export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(getLocale(), { style: 'currency', currency }).format(value);
  } catch {
    return `${new Intl.NumberFormat(getLocale()).format(value)} ${currency}`;
  }
}

/** "5 min", "1 min 35 s", "40 s". */
export function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  const min = Math.floor(total / 60);
  const sec = total % 60;
  if (!min) return plural('act.seconds', sec);
  return sec ? `${plural('act.minutes', min)} ${plural('act.seconds', sec)}` : plural('act.minutes', min);
}

/** The channel of a touch as people say it ("Paid search", "WhatsApp"); an unknown one as it was sent. */
export const channelLabel = (channel: string | null | undefined) => {
  if (!channel) return '';
  const key = `attr.ch.${channel}`;
  const label = t(key);
  return label === key ? channel : label;
};

/** `acme.com/pricing` from a URL (query and fragment left out: UTM parameters are shown on their own). */
export function pageOf(url: string | null | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return `${u.hostname.replace(/^www\./, '')}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url;
  }
}

/** "google / cpc · spring": where a touch came from, in one line. */
export function origin(a: Attribution | null | undefined): string {
  if (!a) return '';
  const sm = [a.source, a.medium].filter(Boolean).join(' / ');
  return [sm, a.campaign].filter(Boolean).join(' · ');
}

function callSentence(direction: ActivityJson['direction'], seconds: unknown): string {
  const call = t(direction === 'outbound' ? 'act.call.outbound' : 'act.call.inbound');
  return typeof seconds === 'number' ? t('act.call.duration', { call, duration: duration(seconds * 1000) }) : call;
}

export function sentence(item: ActivityJson, subject: AuditSubject): string {
  if (item.audit) return auditSentence(item.audit, subject);
  const form = String(item.data.form ?? '');
  switch (item.kind) {
    case 'message': {
      // A call pushed as a message (POST /messages, channel "call") reads as a call.
      if (item.channel === 'call') return callSentence(item.direction, (item.data.call as { durationSeconds?: unknown } | null)?.durationSeconds);
      const what = t(`act.what.${item.channel && MESSAGE_CHANNELS.has(item.channel) ? item.channel : 'other'}`);
      return t(item.direction === 'outbound' ? 'act.message.outbound' : 'act.message.inbound', { what });
    }
    case 'visit':
      return t('act.visit', { page: pageOf(item.url) || item.title });
    case 'form_submission':
      return t('act.form', { form: form || item.title });
    case 'survey_submission':
      return t('act.survey', { form: form || item.title });
    case 'call':
      return callSentence(item.direction, item.data.durationSeconds);
    case 'purchase': {
      const amount = item.amount ? money(item.amount.value, item.amount.currency) : '';
      return item.title && item.title !== 'Purchase' ? t('act.purchase', { item: item.title, amount }) : t('act.purchase.plain', { amount });
    }
    case 'payment':
      return t('act.payment', { amount: item.amount ? money(item.amount.value, item.amount.currency) : '' });
    case 'document_view': {
      const [, document, link] = VIEW_SUMMARY.exec(item.title) ?? [];
      return document !== undefined ? t('act.view', { document, link: link ?? '' }) : t('act.view.plain');
    }
    default:
      return item.title;
  }
}

/** The facts under the sentence: a message's subject or text, a visit's origin, a view's pages and time, attachments. */
export function facts(item: ActivityJson): string[] {
  const out: string[] = [];
  if (item.kind === 'message' || item.kind.endsWith('_submission')) {
    if (item.title && item.kind === 'message') out.push(item.title);
  } else if (item.kind === 'purchase' || item.kind === 'payment' || item.kind === 'call' || item.kind === 'visit') {
    if (item.kind === 'call' && item.title && !/^(In|Out)bound call$/.test(item.title)) out.push(item.title);
  }
  if (item.details) out.push(item.details);
  if (item.attribution && item.kind !== 'message' && origin(item.attribution)) out.push(origin(item.attribution));
  if (item.view) {
    const bits = [plural('act.view.pages', item.view.pages.length)];
    if (item.view.durationMs) bits.push(duration(item.view.durationMs));
    if (item.view.downloaded) bits.push(t('act.view.downloaded'));
    out.push(bits.join(' · '));
  }
  if (item.documents.length && !item.audit) out.push(`${plural('act.attachments', item.documents.length)}: ${item.documents.map((d) => d.name).join(', ')}`);
  const actor = item.data.actor as { name?: string | null } | undefined;
  if (actor?.name) out.push(t('act.by', { name: actor.name }));
  return out;
}

// Icons: 24-unit strokes (lucide-like), drawn in currentColor.
const ICONS: Record<string, TemplateResult> = {
  message: svg`<path d="M4 5h16v11H8l-4 4z"/>`,
  email: svg`<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3 7 9 6 9-6"/>`,
  visit: svg`<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>`,
  form: svg`<rect x="5" y="3" width="14" height="18" rx="2"/><path d="M9 8h6M9 12h6M9 16h3"/>`,
  call: svg`<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"/>`,
  purchase: svg`<path d="M6 7h12l-1 13H7z"/><path d="M9 7a3 3 0 0 1 6 0"/>`,
  document: svg`<path d="M14 3H6v18h12V7z"/><path d="M14 3v4h4"/>`,
  share_view: svg`<path d="M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>`,
  field_change: svg`<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13 7 4 4"/>`,
  merge: svg`<circle cx="6" cy="5" r="2"/><circle cx="6" cy="19" r="2"/><circle cx="18" cy="12" r="2"/><path d="M6 7v10M6 9c0 3 4 3 10 3"/>`,
  note: svg`<path d="M5 3h10l4 4v14H5z"/><path d="M9 10h6M9 14h6"/>`,
  task: svg`<rect x="4" y="4" width="16" height="16" rx="3"/><path d="m8 12 3 3 5-6"/>`,
  appointment: svg`<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>`,
  opportunity: svg`<path d="M3 17l6-6 4 4 8-8"/><path d="M15 7h6v6"/>`,
  payment: svg`<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20M6 15h4"/>`,
  invoice: svg`<path d="M6 2h9l5 5v15H6z"/><path d="M14 2v6h6M9 13h8M9 17h6"/>`,
  subscription: svg`<path d="M20 11a8 8 0 0 0-14.9-4M4 13a8 8 0 0 0 14.9 4"/><path d="M4 3v4h4M20 21v-4h-4"/>`,
  custom: svg`<circle cx="12" cy="12" r="3"/><circle cx="12" cy="12" r="9"/>`,
};

export function icon(item: Pick<ActivityJson, 'group' | 'channel'>): TemplateResult {
  const shape = item.group === 'message' && item.channel === 'email' ? ICONS.email : (ICONS[item.group] ?? ICONS.custom);
  return html`<svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${shape}</svg>`;
}
