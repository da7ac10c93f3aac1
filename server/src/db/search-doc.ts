// SQL functions the search index needs (registered on every connection by openDb) and bulk (re)indexing.
import type Database from 'better-sqlite3';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { cellsOf } from './migrations/007_contact_cells.js';
import { channelsOf } from './migrations/012_contact_channels.js';

const paused = new WeakSet<Database.Database>();

/**
 * Digit-only variants of an E.164 number, so any way a person types it matches by prefix:
 * full digits (14155550100), national digits (4155550100, and 02079460958 with a trunk prefix) and the tails after each national group
 * (5550100, 0100) for "555-0100" or last-four searches.
 */
export function phoneSearchTokens(e164: string): string {
  const tokens = new Set<string>([e164.replace(/\D/g, '')]);
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed) {
    tokens.add(String(parsed.nationalNumber));
    const national = parsed.formatNational();
    tokens.add(national.replace(/\D/g, '')); // with a trunk prefix, as dialled at home: 020 7946 0958
    const groups = national.split(/\D+/).filter(Boolean);
    for (let k = 1; k < groups.length; k++) tokens.add(groups.slice(k).join(''));
  }
  return [...tokens].join(' ');
}

export function registerSearchFunctions(sqlite: Database.Database): void {
  sqlite.function('dossier_phone_tokens', { deterministic: true }, (value: unknown) => phoneSearchTokens(String(value ?? '')));
  sqlite.function('dossier_search_live', { deterministic: false }, () => (paused.has(sqlite) ? 0 : 1));
}

/**
 * Runs a bulk insert with per-row index maintenance off, then indexes every contact whose rowid is above the
 * highest one before the load in a single statement (much faster than one trigger per child row), and fills their
 * channels (migration 008, before the index: the search document reads them) and export cells (migration 007) the same way.
 */
export function withSearchPaused<T>(sqlite: Database.Database, load: () => T): T {
  const { top } = sqlite.prepare('SELECT coalesce(max(rowid), 0) AS top FROM contacts').get() as { top: number };
  paused.add(sqlite);
  try {
    return load();
  } finally {
    try {
      // Still paused, so the channels' own re-index trigger stays off: the one pass below indexes these rows.
      sqlite.prepare(`UPDATE contacts SET channels = ${channelsOf('contacts.id', 'contacts.last_channel')} WHERE rowid > ?`).run(top);
    } finally {
      paused.delete(sqlite);
    }
    sqlite.prepare('DELETE FROM contacts_fts WHERE rowid > ?').run(top);
    sqlite.prepare('INSERT INTO contacts_fts (rowid, doc) SELECT rid, doc FROM contact_search_docs WHERE rid > ?').run(top);
    sqlite.prepare(`UPDATE contacts SET cells = ${cellsOf('contacts.id')} WHERE rowid > ?`).run(top);
  }
}
