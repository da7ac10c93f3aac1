import type { AuditEventJson, ContactJson, CustomFieldJson, MemberJson, Session } from '../../packages/core/src/types.js';

const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 20, 15, 30);

export const members: MemberJson[] = [
  { id: 'mb_olivia', name: 'Olivia Owner', email: 'olivia@acme.example', role: 'owner' },
  { id: 'mb_max', name: 'Max Manager', email: 'max@acme.example', role: 'manager' },
  { id: 'mb_ada', name: 'Ada Agent', email: 'ada@acme.example', role: 'agent' },
];

export const fields: CustomFieldJson[] = [
  { id: 'cf_1', key: 'industry', label: 'Industry', type: 'select', options: ['SaaS', 'Retail', 'Healthcare'], position: 0 },
  { id: 'cf_2', key: 'lifetime_value', label: 'Lifetime value', type: 'number', options: null, position: 1 },
  { id: 'cf_3', key: 'birthday', label: 'Birthday', type: 'date', options: null, position: 2 },
  { id: 'cf_4', key: 'newsletter', label: 'Newsletter opt-in', type: 'checkbox', options: null, position: 3 },
  { id: 'cf_5', key: 'linkedin', label: 'LinkedIn', type: 'url', options: null, position: 4 },
  { id: 'cf_6', key: 'interests', label: 'Interests', type: 'multi_select', options: ['Product updates', 'Events', 'Pricing'], position: 5 },
  { id: 'cf_7', key: 'notes', label: 'Notes', type: 'text', options: null, position: 6 },
];

export const session = (role: 'owner' | 'manager' | 'agent' = 'owner'): Session => ({
  workspace: { id: 'ws_story', name: 'Acme', defaultRegion: 'US', restoreDays: 30 },
  member: { ...members.find((m) => m.role === role)!, restrictToAssigned: false },
  permissions:
    role === 'agent'
      ? ['contacts.create', 'contacts.edit', 'contacts.export', 'documents.upload', 'share_links.manage']
      : ['contacts.create', 'contacts.edit', 'contacts.delete', 'contacts.restore', 'contacts.merge', 'contacts.bulk', 'contacts.export', 'contacts.import', 'fields.manage', 'views.share', 'documents.upload', 'documents.edit', 'documents.delete', 'share_links.manage'],
});

export const contact: ContactJson = {
  id: 'ct_ada',
  firstName: 'Ada',
  lastName: 'Lovelace',
  name: 'Ada Lovelace',
  companyName: 'Analytical Engines Ltd',
  address: { line1: '12 St James’s Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'United Kingdom' },
  website: 'https://engines.example.com/',
  avatarUrl: null,
  emails: [
    { value: 'ada@engines.example.com', label: 'work', primary: true, verified: true },
    { value: 'ada.lovelace@home.example', label: 'personal', primary: false, verified: false },
  ],
  phones: [
    { value: '+14155552671', display: '(415) 555-2671', label: 'mobile', primary: true, verified: false },
    { value: '+442079460958', display: '+44 20 7946 0958', label: 'work', primary: false, verified: false },
  ],
  handles: [{ channel: 'instagram', handle: 'ada.lovelace' }],
  tags: ['vip', 'customer', 'event-2026'],
  ownerId: 'mb_max',
  followerIds: ['mb_ada'],
  customFields: { industry: 'SaaS', lifetime_value: 48200, birthday: '1815-12-10', newsletter: true, interests: ['Events'] },
  dnd: { sms: false, call: false, email: false, facebook: false, gmb: false, whatsapp: true },
  source: 'website',
  attribution: {
    first: { source: 'google', medium: 'cpc', campaign: 'spring-launch', at: NOW - 400 * DAY },
    latest: { source: 'newsletter', medium: 'email', campaign: 'november', at: NOW - 2 * DAY },
  },
  lastInteractionAt: NOW - 2 * DAY,
  lastChannel: 'email',
  mergedIntoId: null,
  createdAt: NOW - 400 * DAY,
  updatedAt: NOW - DAY,
  deletedAt: null,
  version: 7,
};

export const longContact: ContactJson = {
  ...contact,
  id: 'ct_long',
  firstName: 'Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinhausen',
  lastName: 'de la Vega y Montenegro-Santamaría',
  name: 'Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinhausen de la Vega y Montenegro-Santamaría',
  companyName: 'The Extraordinarily Long Named International Holding Company of Everything, Incorporated',
  emails: Array.from({ length: 11 }, (_, i) => ({ value: `maximiliana.alexandrina.${i}@a-very-long-domain-name-for-testing.example.com`, label: i ? 'other' : 'work', primary: i === 0, verified: false })),
  tags: ['vip', 'customer', 'enterprise', 'renewal-q1-2027', 'needs-follow-up-from-legal', 'event-2026', 'webinar', 'referral', 'partner'],
  followerIds: ['mb_ada', 'mb_olivia', 'mb_max'],
};

export const audit: AuditEventJson[] = [
  { id: 'ev_3', action: 'contact.updated', actor: { id: 'mb_ada', type: 'member', name: 'Ada Agent' }, changes: { tags: { before: ['vip'], after: ['vip', 'customer', 'event-2026'] } }, context: {}, at: NOW - DAY },
  { id: 'ev_2', action: 'contact.updated', actor: { id: null, type: 'api', name: null }, changes: { companyName: { before: null, after: 'Analytical Engines Ltd' }, ownerId: { before: null, after: 'mb_max' } }, context: {}, at: NOW - 30 * DAY },
  { id: 'ev_1', action: 'contact.created', actor: { id: 'mb_olivia', type: 'member', name: 'Olivia Owner' }, changes: {}, context: {}, at: NOW - 400 * DAY },
];
