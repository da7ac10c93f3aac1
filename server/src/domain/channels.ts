// The channels the table filters and searches by, one list for the server's enums (the widgets get them from
// GET /contacts/table-schema and label them themselves).

/** Channels a contact can be reachable on: the channel filter's values (`contacts.channels`, migration 008). */
export const CONTACT_CHANNELS = ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'call', 'webchat'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** What a contact's last interaction may have come through: a channel, or a form / survey submission. */
export const INTERACTION_CHANNELS = [...CONTACT_CHANNELS, 'form', 'survey'] as const;
