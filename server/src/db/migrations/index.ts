import type { Migration } from 'kysely/migration';
import type { EngineKind } from '../engine/types.js';
import * as pg001 from '../engine/postgres/migrations/001_core.js';
import * as pg002 from '../engine/postgres/migrations/002_table.js';
import * as pg003documents from '../engine/postgres/migrations/003_documents.js';
import * as pg003sortKeys from '../engine/postgres/migrations/003_sort_keys.js';
import * as pg004 from '../engine/postgres/migrations/004_share.js';
import * as pg005 from '../engine/postgres/migrations/005_query_engine.js';
import * as pg006 from '../engine/postgres/migrations/006_empty_value_seek.js';
import * as pg007 from '../engine/postgres/migrations/007_contact_cells.js';
import * as pg008admin from '../engine/postgres/migrations/008_admin.js';
import * as pg009auditContext from '../engine/postgres/migrations/009_audit_context.js';
import * as pg010hardening from '../engine/postgres/migrations/010_hardening.js';
import * as pg011contactVersion from '../engine/postgres/migrations/011_contact_version.js';
import * as pg012contactChannels from '../engine/postgres/migrations/012_contact_channels.js';
import * as pg013viewersType from '../engine/postgres/migrations/013_viewers_type_column.js';
import * as pg014teams from '../engine/postgres/migrations/014_teams.js';
import * as pg015fileFields from '../engine/postgres/migrations/015_file_fields.js';
import * as pg018activityTimeline from '../engine/postgres/migrations/018_activity_timeline.js';
import * as pg019conversations from '../engine/postgres/migrations/019_conversations.js';
import * as pg021contactAvatars from '../engine/postgres/migrations/021_contact_avatars.js';
import * as m001 from './001_core.js';
import * as m002 from './002_table.js';
import * as m003documents from './003_documents.js';
import * as m003sortKeys from './003_sort_keys.js';
import * as m004 from './004_share.js';
import * as m005 from './005_query_engine.js';
import * as m006 from './006_empty_value_seek.js';
import * as m007 from './007_contact_cells.js';
import * as m008admin from './008_admin.js';
import * as m009auditContext from './009_audit_context.js';
import * as m010hardening from './010_hardening.js';
import * as m011contactVersion from './011_contact_version.js';
import * as m012contactChannels from './012_contact_channels.js';
import * as m013viewersType from './013_viewers_type_column.js';
import * as m014teams from './014_teams.js';
import * as m015fileFields from './015_file_fields.js';
import * as m016webhooks from './016_webhooks.js';
import * as m017notesTasks from './017_notes_tasks.js';
import * as m018activityTimeline from './018_activity_timeline.js';
import * as m019conversations from './019_conversations.js';
import * as m020appointments from './020_appointments.js';
import * as m021contactAvatars from './021_contact_avatars.js';
import * as m022opportunities from './022_opportunities.js';
import * as m023associations from './023_associations.js';
import * as m024workflowsPortal from './024_workflows_portal.js';
import * as m025payments from './025_payments.js';
import * as m026billing from './026_billing.js';
import * as m027orgKeys from './027_org_keys.js';
import * as m028orgKeyExpiry from './028_org_key_expiry.js';

/**
 * Numbered migrations, applied in key order, each with a body per engine: SQLite's here, PostgreSQL's in
 * engine/postgres/migrations/ (same name). A migration written only with Kysely's schema builder (or SQL both
 * engines take) may use one module for both. Add a file (or two) and a line here; never edit a shipped one.
 */
export const migrations: Record<string, Record<EngineKind, Migration>> = {
  '001_core': { sqlite: m001, postgres: pg001 },
  '002_table': { sqlite: m002, postgres: pg002 },
  '003_documents': { sqlite: m003documents, postgres: pg003documents },
  '003_sort_keys': { sqlite: m003sortKeys, postgres: pg003sortKeys },
  '004_share': { sqlite: m004, postgres: pg004 },
  '005_query_engine': { sqlite: m005, postgres: pg005 },
  '006_empty_value_seek': { sqlite: m006, postgres: pg006 },
  '007_contact_cells': { sqlite: m007, postgres: pg007 },
  '008_admin': { sqlite: m008admin, postgres: pg008admin },
  '009_audit_context': { sqlite: m009auditContext, postgres: pg009auditContext },
  '010_hardening': { sqlite: m010hardening, postgres: pg010hardening },
  '011_contact_version': { sqlite: m011contactVersion, postgres: pg011contactVersion },
  '012_contact_channels': { sqlite: m012contactChannels, postgres: pg012contactChannels },
  '013_viewers_type_column': { sqlite: m013viewersType, postgres: pg013viewersType },
  '014_teams': { sqlite: m014teams, postgres: pg014teams },
  '015_file_fields': { sqlite: m015fileFields, postgres: pg015fileFields },
  // Kysely's schema builder only: one module for both engines.
  '016_webhooks': { sqlite: m016webhooks, postgres: m016webhooks },
  '017_notes_tasks': { sqlite: m017notesTasks, postgres: m017notesTasks },
  '018_activity_timeline': { sqlite: m018activityTimeline, postgres: pg018activityTimeline },
  '019_conversations': { sqlite: m019conversations, postgres: pg019conversations },
  '020_appointments': { sqlite: m020appointments, postgres: m020appointments },
  '021_contact_avatars': { sqlite: m021contactAvatars, postgres: pg021contactAvatars },
  '022_opportunities': { sqlite: m022opportunities, postgres: m022opportunities },
  '023_associations': { sqlite: m023associations, postgres: m023associations },
  '024_workflows_portal': { sqlite: m024workflowsPortal, postgres: m024workflowsPortal },
  '025_payments': { sqlite: m025payments, postgres: m025payments },
  '026_billing': { sqlite: m026billing, postgres: m026billing },
  '027_org_keys': { sqlite: m027orgKeys, postgres: m027orgKeys },
  '028_org_key_expiry': { sqlite: m028orgKeyExpiry, postgres: m028orgKeyExpiry },
};

export function migrationsFor(kind: EngineKind): Record<string, Migration> {
  return Object.fromEntries(Object.entries(migrations).map(([name, bodies]) => [name, bodies[kind]]));
}
