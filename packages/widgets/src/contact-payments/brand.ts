import { t } from '../../../core/src/i18n.js';
import './messages.js';

/** "Visa", "Mastercard"… as card brands are written. */
export function brandName(brand: string) {
  const names: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', jcb: 'JCB', diners: 'Diners Club', unionpay: 'UnionPay' };
  return names[brand] ?? (brand === 'unknown' ? t('payments.card.brandUnknown') : brand);
}
