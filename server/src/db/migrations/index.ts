import type { Migration } from 'kysely/migration';
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

/** Numbered migrations, applied in key order. Add a new file and a line here; never edit a shipped one. */
export const migrations: Record<string, Migration> = {
  '001_core': m001,
  '002_table': m002,
  '003_documents': m003documents,
  '003_sort_keys': m003sortKeys,
  '004_share': m004,
  '005_query_engine': m005,
  '006_empty_value_seek': m006,
  '007_contact_cells': m007,
  '008_admin': m008admin,
  '009_audit_context': m009auditContext,
  '010_hardening': m010hardening,
  '011_contact_version': m011contactVersion,
  '012_contact_channels': m012contactChannels,
  '013_viewers_type_column': m013viewersType,
  '014_teams': m014teams,
  '015_file_fields': m015fileFields,
  '016_webhooks': m016webhooks,
};
