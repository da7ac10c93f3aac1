import { addMessages } from '../../../core/src/i18n.js';

// Loaded with the Payments chunk only (never with the script-tag bundle).
addMessages('en', {
  'payments.title': 'Payments',
  'payments.actions': 'Actions',
  'payments.action.charge': 'Charge now',
  'payments.action.addCard': 'Add card',
  'payments.section.cards': 'Cards on file',
  'payments.section.history': 'History',
  'payments.readOnly': 'This contact is in the restore bin: payments are read-only.',
});
