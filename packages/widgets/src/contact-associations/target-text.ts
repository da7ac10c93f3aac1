// What a card and a search result show of a target in the reader's language: an opportunity's stage and value
// (formatted here, not the server's English text), and the built-in types' labels (the contact's role).
import { t } from '../../../core/src/i18n.js';
import type { TargetSummary } from '../../../core/src/types.js';
import { formatMoney } from '../contact-payments/money.js';

/** The second line: "Proposal · 12.500,00 €" for an opportunity, else the server's (an email, a domain…). */
export function targetDetail(target: TargetSummary): string | null {
  const o = target.opportunity;
  return o ? `${o.stage} · ${formatMoney(o.value, o.currency)}` : target.detail;
}

/** A type's label; the built-in ones (`opportunity.primary`, `opportunity.associated`) translated. */
export function typeLabel(typeId: string, label: string): string {
  return typeId === 'opportunity.primary' ? t('assoc.role.primary') : typeId === 'opportunity.associated' ? t('assoc.role.associated') : label;
}
