// Every table that hangs off a contact by contact_id, in one place, so merge and unmerge cannot miss one.
// A new table (documents, link_views...) is one line here.

/** A contact's own parts: combined by rule on merge, restored wholesale from the snapshot on unmerge. */
export const OWNED_TABLES = [
  'contact_emails',
  'contact_phones',
  'contact_tags',
  'contact_field_values',
  'contact_followers',
  'contact_dnd',
  'contact_handles',
  'share_link_contacts',
  // Links to opportunities (the survivor gains the absorbed contacts'; unmerge puts each back with its role).
  'opportunity_contacts',
  'portal_grants',
] as const;

/** History rows with their own `id`: re-pointed to the survivor on merge, pointed back by id on unmerge. */
export const MOVED_TABLES = [
  'activities',
  'audit_events',
  'link_views',
  'documents',
  'workflow_enrolments',
  // Payments: a contact's provider customers, cards, charges, refunds and ledger go with it (ids kept, so an unmerge
  // points each back; the default card is the one made default last, so a merge changes no row but its contact).
  'payment_customers',
  'payment_methods',
  'payment_charges',
  'payment_refunds',
  'payment_ledger',
  // Billing: a contact's invoices and subscriptions follow it into the survivor and back.
  'invoices',
  'subscriptions',
] as const;

export type OwnedTable = (typeof OWNED_TABLES)[number];
export type MovedTable = (typeof MOVED_TABLES)[number];
