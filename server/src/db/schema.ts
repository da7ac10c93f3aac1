// Kysely table types. Times are integer milliseconds (UTC); ids are random URL-safe strings;
// every row carries workspace_id so that every query can be scoped to the caller's workspace.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AssociationTables } from './schema-associations.js';

export type Role = 'owner' | 'manager' | 'agent';

export interface WorkspacesTable {
  id: string;
  name: string;
  /** ISO 3166 region used to parse phone numbers written without a country code. */
  default_region: string;
  /** JSON array of origins allowed to call the widget API (CORS). */
  allowed_origins: string;
  /** Days a deleted contact stays in the restore bin before it is purged. */
  restore_days: number;
  created_at: number;
  /** JSON array of document kinds this workspace accepts; null = the server default. */
  document_types: string | null;
  /** Bumped by triggers on every write to a contact or its parts: cached counts are valid while it holds. */
  contacts_version: Generated<number>;
  /** Live (not deleted) contacts, kept by triggers. */
  live_contacts: Generated<number>;
  /** The organization (agency) that owns the workspace, if any. */
  organization_id: string | null;
  /** Set by the admin API's delete: nothing can sign in any more, and the background purge removes its data. */
  deleted_at: number | null;
}

/** Operator keys: the admin API (workspaces, origins, secret keys, organizations). */
export interface AdminKeysTable extends KeyColumns {
  id: string;
}

/** What every kind of key stores: never the key itself. */
interface KeyColumns {
  name: string;
  /** The key's first characters, shown in lists so an operator can tell keys apart. */
  prefix: string;
  /** SHA-256 (hex) of the key. */
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

/** Organization keys (`dok_…`, migration 027): mint organization sessions. Only the hash and a prefix are kept. */
export interface OrgKeysTable extends KeyColumns {
  id: string;
  organization_id: string;
  /** A rotated key keeps working until then (the grace period, migration 028); null = until revoked. */
  expires_at: number | null;
}

/** One row per admin API call that changed something (or created a secret). */
export interface AdminAuditTable {
  id: string;
  /** The admin key's id, or `env` for DOSSIER_ADMIN_KEY, or `cli`. */
  key_id: string;
  action: string;
  target_type: 'workspace' | 'api_key' | 'organization' | 'admin_key' | 'org_key';
  target_id: string | null;
  /** JSON object: what changed. Never a secret. */
  details: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  /** SHA-256 (hex) of the secret key; the key itself is shown once and never stored. */
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
  name: Generated<string>;
  /** The key's first characters (e.g. `dsk_Ab3x`), for lists. */
  prefix: Generated<string>;
  /** A rotated key keeps working until then (the grace period); null = no end. */
  expires_at: number | null;
  last_used_at: number | null;
}

export interface MembersTable {
  id: string;
  workspace_id: string;
  external_id: string;
  name: string;
  email: string;
  role: Role;
  restrict_to_assigned: number;
  created_at: number;
  updated_at: number;
}

export interface ContactsTable {
  id: string;
  workspace_id: string;
  first_name: string | null;
  last_name: string | null;
  /** Display name: "first last", else the primary phone, else the primary email, else "@handle". Kept for sorting. */
  display_name: string;
  company_name: string | null;
  /** JSON object { line1, line2, city, region, postalCode, country } or null. */
  address: string | null;
  website: string | null;
  avatar_url: string | null;
  /** The blob of a picture uploaded to (or fetched by) Dossier, which avatar_url is the signed URL of; null otherwise. */
  avatar_key: string | null;
  owner_id: string | null;
  source: string | null;
  /** JSON { source, medium, campaign, term, content, referrer, url, at } of the first and latest touch. */
  attribution_first: string | null;
  attribution_latest: string | null;
  last_interaction_at: number | null;
  last_channel: string | null;
  last_incoming_at: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  merged_into_id: string | null;
  /** Share-link viewing: last session start and number of sessions (migration 004). */
  last_accessed_at: number | null;
  access_count: Generated<number>;
  /** Emails, phones, tag ids and custom values as JSON, kept by triggers for fast exports (migration 007). */
  cells: Generated<string | null>;
  /** Bumped by every write that changes the contact (migration 011); clients send it back with list patches. */
  version: Generated<number>;
  /** Channel keys the contact is reachable on, space-separated and sorted, kept by triggers (migration 012). */
  channels: Generated<string>;
  /** The team the contact belongs to (migration 014); null when none. */
  team_id: Generated<string | null>;
}

export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  workspace_id: string;
  team_id: string;
  member_id: string;
}

export interface ContactEmailsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  value: string;
  label: string | null;
  is_primary: number;
  position: number;
  verified_at: number | null;
}

export interface ContactPhonesTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  /** E.164 */
  value: string;
  label: string | null;
  is_primary: number;
  position: number;
  verified_at: number | null;
}

export interface TagsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
}

export interface ContactTagsTable {
  workspace_id: string;
  contact_id: string;
  tag_id: string;
}

export type CustomFieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select' | 'checkbox' | 'url' | 'file';

export interface CustomFieldsTable {
  id: string;
  workspace_id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  /** JSON array of allowed options for select / multi_select, else null. */
  options: string | null;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface ContactFieldValuesTable {
  workspace_id: string;
  contact_id: string;
  field_id: string;
  /** The value as JSON, exactly as the API returns it. */
  value_json: string;
  /** Typed copies for filtering and sorting: text-like values and numeric ones (numbers, dates as ms, checkboxes as 0/1). */
  value_text: string | null;
  value_num: number | null;
}

export interface ContactFollowersTable {
  workspace_id: string;
  contact_id: string;
  member_id: string;
}

export type DndChannel = 'sms' | 'call' | 'email' | 'facebook' | 'gmb' | 'whatsapp';

export interface ContactDndTable {
  workspace_id: string;
  contact_id: string;
  channel: DndChannel;
  since: number;
}

export interface AuditEventsTable {
  id: string;
  workspace_id: string;
  contact_id: string | null;
  /** Member id, or null when the workspace's secret key (the host backend) or the system acted. */
  actor_id: string | null;
  actor_type: 'member' | 'api' | 'system' | 'viewer';
  action: string;
  /** JSON { field: { before, after } }: only what changed (custom fields and DND channels one key each). */
  changes: string;
  /** JSON: what else the event concerns (bulk job, merged contacts, document, share link); see AuditContext. */
  context: Generated<string>;
  at: number;
}

export interface ActivitiesTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  kind: string;
  channel: string | null;
  direction: 'inbound' | 'outbound' | null;
  summary: string;
  data: string | null;
  at: number;
  /** The host's id of an event it recorded (POST /contacts/:id/events): unique per workspace (migration 018). */
  external_id: string | null;
  /** JSON Attribution of the touch this event made (UTM, click ids, referrer, landing page, channel), else null. */
  attribution: string | null;
  /** The member who recorded it, when a member did. */
  actor_id: string | null;
  /** A message's conversation (migration 019), else null. */
  conversation_id: string | null;
}

/** A contact's thread on one channel (migration 019): kept as its messages (activities) arrive. */
export interface ConversationsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  channel: string;
  /** The host's thread or conversation id ('' when it sends none: one thread per contact and channel). */
  thread_key: string;
  subject: string | null;
  opened_at: number;
  last_message_at: number;
  last_message_id: string | null;
  last_incoming_at: number | null;
  message_count: number;
  incoming_count: number;
}

export interface SavedViewsTable {
  id: string;
  workspace_id: string;
  owner_member_id: string | null;
  name: string;
  scope: 'personal' | 'workspace';
  /** JSON { q, filter, columns, sort } — what the table shows. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface MergesTable {
  id: string;
  workspace_id: string;
  survivor_id: string;
  /** JSON array of the merged (absorbed) contact ids. */
  merged_ids: string;
  /** JSON snapshot of every row the merge changed, enough to unmerge exactly. */
  snapshot: string;
  actor_id: string | null;
  created_at: number;
  undone_at: number | null;
  /** JSON of the merge's `pick` (field → contact id), replayed when one contact is split off (migration 011). */
  pick: string | null;
}

export type BulkJobStatus = 'running' | 'done' | 'failed';

export interface BulkJobsTable {
  id: string;
  workspace_id: string;
  member_id: string | null;
  kind: string;
  status: BulkJobStatus;
  total: number;
  done: number;
  failed: number;
  /** JSON array of { id?, row?, field?, message } (capped). */
  errors: string;
  /** JSON with kind-specific counts (created, updated, skipped...). */
  summary: string | null;
  created_at: number;
  finished_at: number | null;
}

/** FTS5 index over contact_search_docs, keyed by contacts.rowid (contentless). */
export interface ContactsFtsTable {
  rowid: number;
  doc: string;
}

export type DocumentSection = 'internal' | 'sent' | 'received';
export type DocumentOrigin = 'upload' | 'email' | 'sms' | 'whatsapp' | 'instagram' | 'facebook' | 'form' | 'survey';

export interface BlobsTable {
  /** Hex SHA-256 of the content; also the blob store key. */
  sha256: string;
  size: number;
  created_at: number;
  /** Touched on every write that reuses it, so garbage collection spares blobs of uploads in flight. */
  last_used_at: number;
}

export interface DocumentsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  section: DocumentSection;
  origin: DocumentOrigin;
  /** Form or survey name for documents that came with a submission. */
  form_name: string | null;
  name: string;
  /** Lower-cased name, for sorting and search (SQLite NOCASE only folds ASCII). */
  name_key: string;
  /** Sniffed kind (pdf, docx, png, …) and its media type. */
  kind: string;
  media_type: string;
  size: number;
  sha256: string;
  blob_key: string;
  uploaded_by: string | null;
  share_on_portal: number;
  /** The activity row of the message or submission this document came with. */
  message_id: string | null;
  /** The key of the `file` custom field this document was uploaded through (its "Custom fields" folder), else null. */
  field_key: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface ContactHandlesTable {
  workspace_id: string;
  contact_id: string;
  channel: string;
  handle: string;
  created_at: number;
}

export type ShareRequire = 'none' | 'email' | 'whatsapp' | 'either';
export type ViewerChannel = 'email' | 'whatsapp';

export interface ShareLinksTable {
  id: string;
  workspace_id: string;
  document_id: string;
  /** 22 URL-safe characters from 16 random bytes (128 bits): the public part of /s/<slug>. */
  slug: string;
  name: string;
  require: ShareRequire;
  verify_otp: number;
  allow_download: number;
  expires_at: number | null;
  disabled_at: number | null;
  deleted_at: number | null;
  /** JSON arrays of exact addresses / E.164 numbers or "@domain". */
  allow_list: string;
  deny_list: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  /** Bumped whenever who may open the link changes (gate, lists, expiry, disabled): older viewer tokens stop working. */
  gate_version: Generated<number>;
}

export interface OtpChallengesTable {
  id: string;
  link_id: string;
  channel: ViewerChannel;
  /** Normalized: lower-case email or E.164 phone. */
  identifier: string;
  /** HMAC-SHA256 (server OTP secret) of link, identifier and code; the code itself is never stored. */
  code_hmac: string;
  expires_at: number;
  attempts: number;
  consumed_at: number | null;
  /** A newer code for the same link and identifier replaced this one. */
  replaced_at: number | null;
  /** 1 = nothing was sent (deny-listed / not allowed); kept so answers and limits look the same. */
  suppressed: number;
  /** The transport failed ('retryable' or 'permanent'): nothing was sent, and verifying says so. */
  delivery_failed: 'retryable' | 'permanent' | null;
  created_at: number;
  ip: string | null;
}

/** rate-limiter-flexible's SQLite store (db/rate-limits.ts): one row per budget key and window. */
export interface RateLimitsTable {
  key: string;
  points: number;
  /** Wall-clock ms when the window ends. */
  expire: number | null;
}

export interface ShareLinkContactsTable {
  workspace_id: string;
  link_id: string;
  contact_id: string;
  channel: string;
  identifier: string;
  first_at: number;
  last_at: number;
  view_count: number;
}

export interface LinkViewsTable {
  id: string;
  workspace_id: string;
  link_id: string;
  contact_id: string | null;
  /** The id inside the viewer token that opened this view. */
  token_id: string;
  /** email / whatsapp for gated views, null for links without a gate. */
  channel: string | null;
  started_at: number;
  duration_ms: number;
  /** JSON array of page numbers seen. */
  pages_seen: string;
  downloaded: number;
  updated_at: number;
}

export interface OutboxTable {
  id: string;
  workspace_id: string | null;
  channel: string;
  to_address: string;
  subject: string;
  body: string;
  created_at: number;
}

export interface WebhookEndpointsTable {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  /** JSON list of event types, or ["*"]. */
  event_types: string;
  enabled: number;
  secret: string;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** The webhook outbox and its delivery log: one row per event and endpoint (a redelivery adds a row). */
export interface WebhookDeliveriesTable {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  contact_id: string | null;
  seq: number;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  claim_token: string | null;
  claimed_until: number | null;
  response_status: number | null;
  last_error: string | null;
  latency_ms: number | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** One-time tokens already redeemed (SSE tickets), until they would have expired. */
export interface SpentTokensTable {
  jti: string;
  expires_at: number;
}

export interface NotesTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  author_id: string | null;
  body: string;
  pinned_at: number | null;
  created_at: number;
  updated_at: number;
  edited_at: number | null;
}

export type TaskStatus = 'open' | 'completed';

export interface TasksTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  title: string;
  description: string;
  due_at: number;
  assignee_id: string;
  status: TaskStatus;
  completed_at: number | null;
  completed_by: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CalendarsTable {
  id: string;
  workspace_id: string;
  name: string;
  time_zone: string;
  slot_minutes: number;
  buffer_minutes: number;
  working_hours: string;
  default_location: string;
  default_title: string;
  default_description: string;
  rr_last_member_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface CalendarMembersTable {
  calendar_id: string;
  member_id: string;
  position: number;
}

export type AppointmentStatus = 'confirmed' | 'unconfirmed' | 'cancelled';
export type AppointmentType = 'meeting' | 'service';

export interface AppointmentsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  calendar_id: string;
  member_id: string;
  title: string;
  description: string;
  attendee_ids: string;
  time_zone: string;
  start_at: number;
  end_at: number;
  location: string;
  status: AppointmentStatus;
  type: AppointmentType;
  created_by: string | null;
  cancelled_at: number | null;
  created_at: number;
  updated_at: number;
}

export type OpportunityStatus = 'open' | 'won' | 'lost' | 'abandoned';
export type OpportunityRole = 'primary' | 'associated';

export interface PipelinesTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface PipelineStagesTable {
  id: string;
  workspace_id: string;
  pipeline_id: string;
  name: string;
  position: number;
  created_at: number;
}

export interface OpportunitiesTable {
  id: string;
  workspace_id: string;
  name: string;
  pipeline_id: string;
  stage_id: string;
  value: number;
  currency: string;
  status: OpportunityStatus;
  lost_reason: string | null;
  owner_id: string | null;
  source: string | null;
  close_date: string | null;
  status_changed_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface OpportunityContactsTable {
  workspace_id: string;
  opportunity_id: string;
  contact_id: string;
  role: OpportunityRole;
  created_at: number;
}

export interface BookingLocksTable {
  member_id: string;
  bookings: number;
}

export type WorkflowStatus = 'active' | 'draft' | 'inactive';
export type EnrolmentStatus = 'enrolled' | 'completed' | 'stopped';
export type PortalKind = 'offer' | 'group';

export interface WorkflowsTable {
  id: string;
  workspace_id: string;
  host_id: string;
  name: string;
  status: WorkflowStatus;
  created_at: number;
  updated_at: number;
}

export interface WorkflowEnrolmentsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  workflow_id: string;
  host_id: string | null;
  status: EnrolmentStatus;
  step: string | null;
  enrolled_at: number;
  ended_at: number | null;
  enrolled_by: string | null;
  stopped_by: string | null;
  updated_at: number;
}

export interface PortalItemsTable {
  id: string;
  workspace_id: string;
  kind: PortalKind;
  host_id: string;
  name: string;
  status: 'active' | 'inactive';
  created_at: number;
  updated_at: number;
}

export interface PortalGrantsTable {
  workspace_id: string;
  contact_id: string;
  item_id: string;
  granted_at: number;
  granted_by: string | null;
}

export type PaymentProviderName = 'stripe' | 'test';
export type PaymentStatus = 'pending' | 'succeeded' | 'failed';

export interface PaymentCustomersTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  provider: PaymentProviderName;
  provider_customer_id: string;
  created_at: number;
}

export interface PaymentMethodsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  customer_id: string;
  provider: PaymentProviderName;
  provider_method_id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  label: Generated<string>;
  default_at: number | null;
  created_by: string | null;
  created_at: number;
  removed_at: number | null;
}

export interface PaymentChargesTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  payment_method_id: string | null;
  provider: PaymentProviderName;
  provider_charge_id: string | null;
  amount: number;
  currency: string;
  description: Generated<string>;
  status: PaymentStatus;
  failure_code: string | null;
  failure_message: string | null;
  amount_refunded: Generated<number>;
  idempotency_key: string;
  /** charge | invoice | subscription */
  source: Generated<string>;
  source_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentRefundsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  charge_id: string;
  provider_refund_id: string | null;
  amount: number;
  currency: string;
  reason: Generated<string>;
  status: PaymentStatus;
  failure_message: string | null;
  idempotency_key: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentLedgerTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  entry_key: string;
  kind: string;
  amount: number;
  currency: string;
  description: Generated<string>;
  charge_id: string | null;
  refund_id: string | null;
  ref_type: string | null;
  ref_id: string | null;
  provider_event_id: string | null;
  occurred_at: number;
  seq: number;
  created_at: number;
}

export interface PaymentWebhookEventsTable {
  provider: string;
  event_id: string;
  workspace_id: string | null;
  type: string;
  received_at: number;
}

export interface MemberGrantsTable {
  member_id: string;
  permission: string;
  created_at: number;
}

export interface Database {
  pipelines: PipelinesTable;
  pipeline_stages: PipelineStagesTable;
  opportunities: OpportunitiesTable;
  opportunity_contacts: OpportunityContactsTable;
  workflows: WorkflowsTable;
  workflow_enrolments: WorkflowEnrolmentsTable;
  portal_items: PortalItemsTable;
  portal_grants: PortalGrantsTable;
  calendars: CalendarsTable;
  calendar_members: CalendarMembersTable;
  appointments: AppointmentsTable;
  booking_locks: BookingLocksTable;
  notes: NotesTable;
  tasks: TasksTable;
  spent_tokens: SpentTokensTable;
  share_links: ShareLinksTable;
  otp_challenges: OtpChallengesTable;
  rate_limits: RateLimitsTable;
  share_link_contacts: ShareLinkContactsTable;
  link_views: LinkViewsTable;
  outbox: OutboxTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  admin_keys: AdminKeysTable;
  organizations: OrganizationsTable;
  org_keys: OrgKeysTable;
  admin_audit: AdminAuditTable;
  members: MembersTable;
  contacts: ContactsTable;
  contact_emails: ContactEmailsTable;
  contact_phones: ContactPhonesTable;
  tags: TagsTable;
  contact_tags: ContactTagsTable;
  custom_fields: CustomFieldsTable;
  contact_field_values: ContactFieldValuesTable;
  contact_followers: ContactFollowersTable;
  contact_dnd: ContactDndTable;
  audit_events: AuditEventsTable;
  activities: ActivitiesTable;
  conversations: ConversationsTable;
  saved_views: SavedViewsTable;
  merges: MergesTable;
  bulk_jobs: BulkJobsTable;
  contacts_fts: ContactsFtsTable;
  blobs: BlobsTable;
  documents: DocumentsTable;
  contact_handles: ContactHandlesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  // 023_associations
  companies: AssociationTables['companies'];
  object_types: AssociationTables['object_types'];
  object_records: AssociationTables['object_records'];
  association_types: AssociationTables['association_types'];
  associations: AssociationTables['associations'];
  payment_customers: PaymentCustomersTable;
  payment_methods: PaymentMethodsTable;
  payment_charges: PaymentChargesTable;
  payment_refunds: PaymentRefundsTable;
  payment_ledger: PaymentLedgerTable;
  payment_webhook_events: PaymentWebhookEventsTable;
  member_grants: MemberGrantsTable;
}

export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type MemberRow = Selectable<MembersTable>;
export type CustomFieldRow = Selectable<CustomFieldsTable>;
export type SavedViewRow = Selectable<SavedViewsTable>;
export type BulkJobRow = Selectable<BulkJobsTable>;
export type DocumentRow = Selectable<DocumentsTable>;
export type TeamRow = Selectable<TeamsTable>;
export type ShareLinkRow = Selectable<ShareLinksTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
