// SQL functions the search index needs (registered on every connection by openSqlite): the phone-number tokens of
// a search document, and the switch that pauses per-row index upkeep during bulk loads (bulk.ts).
import type Database from 'better-sqlite3';
import { nationalFormat, parseE164 } from '../../../domain/contact-rules.js';

const paused = new WeakSet<Database.Database>();

/**
 * Digit-only variants of an E.164 number, so any way a person types it matches by prefix:
 * full digits (14155550100), national digits (4155550100, and 02079460958 with a trunk prefix) and the tails after each national group
 * (5550100, 0100) for "555-0100" or last-four searches.
 */
export function phoneSearchTokens(e164: string): string {
  const tokens = new Set<string>([e164.replace(/\D/g, '')]);
  const parsed = parseE164(e164); // shared with displayPhone: one parse and one national format per number
  if (parsed) {
    tokens.add(String(parsed.phone.nationalNumber));
    const national = nationalFormat(parsed);
    tokens.add(national.replace(/\D/g, '')); // with a trunk prefix, as dialled at home: 020 7946 0958
    const groups = national.split(/\D+/).filter(Boolean);
    for (let k = 1; k < groups.length; k++) tokens.add(groups.slice(k).join(''));
  }
  return [...tokens].join(' ');
}

/**
 * The index triggers ask for the same numbers again and again (every refresh of a contact's search row re-reads
 * its phones); parsing one costs far more than the rest of a refresh, so answers are remembered (pure function).
 */
const remembered = new Map<string, string>();
function rememberedPhoneTokens(e164: string): string {
  let tokens = remembered.get(e164);
  if (tokens === undefined) {
    tokens = phoneSearchTokens(e164);
    if (remembered.size >= 20_000) remembered.delete(remembered.keys().next().value!);
    remembered.set(e164, tokens);
  }
  return tokens;
}

export function registerSearchFunctions(sqlite: Database.Database): void {
  sqlite.function('dossier_phone_tokens', { deterministic: true }, (value: unknown) => rememberedPhoneTokens(String(value ?? '')));
  sqlite.function('dossier_search_live', { deterministic: false }, () => (paused.has(sqlite) ? 0 : 1));
}

/** Turns the insert triggers of the search index and `contacts.cells` off (true) or back on for this connection. */
export function pauseSearch(sqlite: Database.Database, on: boolean): void {
  if (on) paused.add(sqlite);
  else paused.delete(sqlite);
}
