import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';
import { Invoices, type InvoiceJson } from '../domain/billing/invoices.js';
import { invoicePayload, verifyPayload } from '../domain/signed-links.js';
import { documents } from '../http/route-meta.js';
import { viewerLanguage } from './share-page.js';
import { formatMoney, percentText, parsePercent } from '../../../packages/core/src/money.js';
import '../../../packages/widgets/src/contact-billing/messages.js';
import { messagesOf } from '../../../packages/core/src/i18n.js';
import de from '../../../packages/core/src/locales/de.js';
import es from '../../../packages/core/src/locales/es.js';
import fr from '../../../packages/core/src/locales/fr.js';
import ar from '../../../packages/core/src/locales/ar.js';

const CATALOGUES: Record<string, Record<string, string>> = { de, es, fr, ar };
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page's own CSP: no script at all, its one inline style by hash-free 'unsafe-inline' on style only, nothing else loaded. */
export const INVOICE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function translator(lang: string) {
  const own = CATALOGUES[lang.split('-')[0]!.toLowerCase()] ?? {};
  const en = messagesOf('en');
  return (key: `bill.page.${string}`, params: Record<string, string> = {}) =>
    (own[key] ?? en[key] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
}

/** The printable page of a sent invoice, in the reader's language. */
export function invoicePage(inv: InvoiceJson, lang: string): string {
  const t = translator(lang);
  const money = (n: number) => esc(formatMoney(n, inv.currency, lang));
  const date = (ms: number) => esc(new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(ms));
  const address = inv.billTo.address ? [inv.billTo.address.line1, inv.billTo.address.line2, [inv.billTo.address.postalCode, inv.billTo.address.city].filter(Boolean).join(' '), inv.billTo.address.region, inv.billTo.address.country].filter(Boolean) : [];
  const status = inv.status === 'draft' ? 'sent' : inv.status;
  const rows = inv.lines
    .map((l) => `<tr><td>${esc(l.description)}</td><td class="n">${esc(l.quantity)}</td><td class="n">${money(l.unitAmount)}</td><td class="n">${money(l.amount)}</td></tr>`)
    .join('');
  const taxRows = inv.taxes.filter((x) => x.amount > 0 || x.taxable > 0).map((x) => `<tr><th scope="row">${esc(t('bill.page.tax', { name: x.name, percent: percentText(parsePercent(x.percent) ?? 0) }))}</th><td class="n">${money(x.amount)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${esc(lang)}"${/^ar\b/i.test(lang) ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${esc(t('bill.page.title', { number: inv.number }))}</title>
<style>
  :root { color-scheme: light dark; --fg: #16181d; --muted: #5b6170; --line: #d9dce3; --bg: #fff; --page: #f3f4f7; --accent: #2456d6; }
  @media (prefers-color-scheme: dark) { :root { --fg: #eceef3; --muted: #a3a9b8; --line: #343845; --bg: #181a21; --page: #101116; --accent: #8fb0ff; } }
  body { margin: 0; background: var(--page); color: var(--fg); font: 15px/1.5 system-ui, sans-serif; }
  main { max-width: 760px; margin: 24px auto; padding: 32px; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; }
  header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 16px; align-items: baseline; }
  h1 { margin: 0; font-size: 24px; }
  .status { font-weight: 600; padding: 2px 10px; border-radius: 999px; border: 1px solid var(--line); }
  .paid { color: #137a3a; } .void { color: var(--muted); text-decoration: line-through; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 24px 0; }
  dt { color: var(--muted); } dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; margin-top: 16px; }
  th, td { text-align: start; padding: 8px 4px; border-bottom: 1px solid var(--line); vertical-align: top; }
  thead th { color: var(--muted); font-weight: 600; font-size: 13px; }
  .n { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .totals { width: auto; margin-inline-start: auto; min-width: 280px; }
  .totals th { font-weight: normal; color: var(--muted); }
  .totals .grand th, .totals .grand td { font-weight: 700; color: var(--fg); font-size: 18px; border-bottom: 0; }
  .notes-title { font-size: 15px; margin: 24px 0 0; }
  .notes { white-space: pre-wrap; margin-top: 4px; }
  @media (max-width: 600px) { main { margin: 0; padding: 16px; border: 0; border-radius: 0; } .totals { min-width: 0; width: 100%; } }
  @media print { :root { --fg: #000; --muted: #444; --line: #bbb; --bg: #fff; --page: #fff; color-scheme: light; } main { margin: 0; max-width: none; border: 0; padding: 0; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<main>
<header><h1>${esc(t('bill.page.title', { number: inv.number }))}</h1><span class="status ${status}">${esc(t(`bill.page.status.${status}`))}</span></header>
<dl>
<dt>${esc(t('bill.page.billTo'))}</dt><dd>${esc(inv.billTo.name)}${inv.billTo.email ? `<br>${esc(inv.billTo.email)}` : ''}${address.map((a) => `<br>${esc(a!)}`).join('')}</dd>
<dt>${esc(t('bill.page.issued'))}</dt><dd>${date(inv.sentAt ?? inv.createdAt)}</dd>
<dt>${esc(t('bill.page.due'))}</dt><dd>${date(inv.dueAt)}</dd>
</dl>
<table>
<thead><tr><th scope="col">${esc(t('bill.page.item'))}</th><th scope="col" class="n">${esc(t('bill.page.qty'))}</th><th scope="col" class="n">${esc(t('bill.page.unit'))}</th><th scope="col" class="n">${esc(t('bill.page.amount'))}</th></tr></thead>
<tbody>${rows}</tbody>
</table>
<table class="totals">
<tr><th scope="row">${esc(t('bill.page.subtotal'))}</th><td class="n">${money(inv.subtotal)}</td></tr>
${inv.discountTotal ? `<tr><th scope="row">${esc(t('bill.page.discount'))}</th><td class="n">−${money(inv.discountTotal)}</td></tr>` : ''}
${taxRows}
<tr class="grand"><th scope="row">${esc(t('bill.page.total'))}</th><td class="n">${money(inv.total)}</td></tr>
</table>
${inv.notes ? `<h2 class="notes-title">${esc(t('bill.page.notes'))}</h2><p class="notes">${esc(inv.notes)}</p>` : ''}
</main>
</body>
</html>`;
}

/** GET /invoices/:workspaceId/:invoiceId?exp=&sig= — the public page of a sent invoice, by its signed link. */
export function invoicePageRoutes(deps: AppDeps) {
  return new Hono().get('/:workspaceId/:invoiceId', documents({ security: ['signedUrl'], errors: { 403: ['link_invalid'] } }), async (c) => {
    const { workspaceId, invoiceId } = c.req.param();
    const exp = Number(c.req.query('exp'));
    const sig = c.req.query('sig') ?? '';
    const lang = viewerLanguage(c.req.header('accept-language'));
    c.header('Content-Security-Policy', INVOICE_PAGE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'private, no-store');
    const valid = verifyPayload(deps.secrets.tokenSecret, invoicePayload(workspaceId, invoiceId), exp, sig, deps.clock.now());
    const invoice = valid ? await Invoices.byId(deps.db, workspaceId, invoiceId) : null;
    if (!invoice || invoice.status === 'draft') {
      const t = translator(lang);
      return c.html(`<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${esc(t('bill.page.invalid'))}</title></head><body><p>${esc(t('bill.page.invalid'))}</p></body></html>`, 403);
    }
    return c.html(invoicePage(invoice, lang));
  });
}
