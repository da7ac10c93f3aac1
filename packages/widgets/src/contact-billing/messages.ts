// The billing sections' English messages (in their lazy chunk). The `bill.page.*` keys are the hosted invoice page's
// (server-rendered by server/src/routes/invoice-page.ts, which reads them from here and the shipped catalogues).
import { addMessages } from '../../../core/src/i18n.js';

addMessages('en', {
  'bill.page.title': 'Invoice {number}',
  'bill.page.billTo': 'Bill to',
  'bill.page.issued': 'Issued',
  'bill.page.due': 'Due',
  'bill.page.item': 'Item',
  'bill.page.qty': 'Qty',
  'bill.page.unit': 'Unit price',
  'bill.page.amount': 'Amount',
  'bill.page.subtotal': 'Subtotal',
  'bill.page.discount': 'Discount',
  'bill.page.tax': '{name} ({percent} %)',
  'bill.page.total': 'Total',
  'bill.page.status.sent': 'Awaiting payment',
  'bill.page.status.paid': 'Paid',
  'bill.page.status.void': 'Void',
  'bill.page.notes': 'Notes',
  'bill.page.invalid': 'This invoice link is not valid or has expired.',
});
