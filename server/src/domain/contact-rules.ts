// Rules for contact data with no HTTP and no database in them: normalizing and checking emails, phones,
// websites and custom field values. Each failure names the field path the client should highlight.
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { CustomFieldRow, CustomFieldType } from '../db/schema.js';
import { invalidField } from '../http/errors.js';

export const MAX_EMAILS = 11;
export const MAX_PHONES = 11;
export const PHONE_LABELS = ['home', 'landline', 'mobile', 'work'] as const;
export type PhoneLabel = (typeof PHONE_LABELS)[number];

export interface EmailEntry {
  value: string;
  label: string | null;
  primary: boolean;
}
export interface PhoneEntry {
  value: string;
  label: PhoneLabel | null;
  primary: boolean;
}

const emailSchema = z.email();

/** Exactly one primary when any exist: none marked → the first; more than one → refused. */
function settlePrimary<T extends { primary?: boolean | undefined }>(entries: T[], field: string): boolean[] {
  const marked = entries.filter((e) => e.primary).length;
  if (marked > 1) throw invalidField(field, `Only one ${field === 'emails' ? 'email' : 'phone'} can be primary.`);
  return entries.map((e, i) => (marked === 0 ? i === 0 : Boolean(e.primary)));
}

export function normalizeEmails(input: { value: string; label?: string | null; primary?: boolean }[]): EmailEntry[] {
  if (input.length > MAX_EMAILS) throw invalidField('emails', `A contact can have at most ${MAX_EMAILS} emails.`);
  const primaries = settlePrimary(input, 'emails');
  const seen = new Set<string>();
  return input.map((entry, i) => {
    const value = entry.value.trim().toLowerCase();
    if (!emailSchema.safeParse(value).success) {
      throw invalidField(`emails[${i}].value`, `"${entry.value}" is not a valid email address.`);
    }
    if (seen.has(value)) throw invalidField(`emails[${i}].value`, `${value} is listed twice.`);
    seen.add(value);
    return { value, label: entry.label?.trim() || null, primary: primaries[i]! };
  });
}

// Parsing is the costliest rule, and an import parses each number twice (to match, then to check the row):
// remember the last few thousand answers.
const parsedPhones = new Map<string, string | null>();

/** Parses to E.164; numbers written without a country code use the workspace's default region. */
export function normalizePhone(raw: string, region: string): string | null {
  const key = `${region} ${raw}`;
  let value = parsedPhones.get(key);
  if (value === undefined) {
    const parsed = parsePhoneNumberFromString(raw.trim(), region as CountryCode);
    value = parsed && parsed.isValid() ? parsed.number : null;
    if (parsedPhones.size >= 5000) parsedPhones.clear();
    parsedPhones.set(key, value);
  }
  return value;
}

export function normalizePhones(
  input: { value: string; label?: string | null; primary?: boolean }[],
  region: string,
): PhoneEntry[] {
  if (input.length > MAX_PHONES) throw invalidField('phones', `A contact can have at most ${MAX_PHONES} phone numbers.`);
  const primaries = settlePrimary(input, 'phones');
  const seenValues = new Set<string>();
  const seenLabels = new Set<string>();
  return input.map((entry, i) => {
    const value = normalizePhone(entry.value, region);
    if (!value) throw invalidField(`phones[${i}].value`, `"${entry.value}" is not a valid phone number.`);
    if (seenValues.has(value)) throw invalidField(`phones[${i}].value`, `${value} is listed twice.`);
    seenValues.add(value);
    const label = entry.label ?? null;
    if (label !== null) {
      if (!(PHONE_LABELS as readonly string[]).includes(label)) {
        throw invalidField(`phones[${i}].label`, `Phone label must be one of ${PHONE_LABELS.join(', ')}.`);
      }
      if (seenLabels.has(label)) throw invalidField(`phones[${i}].label`, `The label "${label}" is already used by another number.`);
      seenLabels.add(label);
    }
    return { value, label: label as PhoneLabel | null, primary: primaries[i]! };
  });
}

/** Accepts "example.com" as https://example.com; only http(s) URLs. */
export function normalizeUrl(raw: string, field: string): string {
  const trimmed = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidField(field, `"${raw}" is not a valid web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' || !url.hostname.includes('.')) {
    throw invalidField(field, `"${raw}" is not a valid web address.`);
  }
  return url.toString();
}

export interface StoredFieldValue {
  json: string;
  text: string | null;
  num: number | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks one custom field value against its definition and returns it with typed copies for filtering. */
export function checkFieldValue(field: Pick<CustomFieldRow, 'key' | 'type' | 'options'>, value: unknown): StoredFieldValue {
  const path = `customFields.${field.key}`;
  const options = field.options ? (JSON.parse(field.options) as string[]) : [];
  const fail = (what: string) => invalidField(path, `${field.key} must be ${what}.`);
  const type: CustomFieldType = field.type;
  switch (type) {
    case 'text': {
      if (typeof value !== 'string') throw fail('text');
      if (value.length > 10_000) throw fail('at most 10,000 characters');
      return { json: JSON.stringify(value), text: value, num: null };
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('a number');
      return { json: JSON.stringify(value), text: null, num: value };
    }
    case 'date': {
      if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
        throw fail('a date written YYYY-MM-DD');
      }
      // Reject dates that Date.parse rolls over (2024-02-31).
      if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) throw fail('a real calendar date');
      return { json: JSON.stringify(value), text: value, num: Date.parse(`${value}T00:00:00Z`) };
    }
    case 'select': {
      if (typeof value !== 'string' || !options.includes(value)) throw fail(`one of: ${options.join(', ')}`);
      return { json: JSON.stringify(value), text: value, num: null };
    }
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !options.includes(v))) {
        throw fail(`a list drawn from: ${options.join(', ')}`);
      }
      const unique = [...new Set(value as string[])];
      return { json: JSON.stringify(unique), text: unique.join('\n'), num: null };
    }
    case 'checkbox': {
      if (typeof value !== 'boolean') throw fail('true or false');
      return { json: JSON.stringify(value), text: null, num: value ? 1 : 0 };
    }
    case 'file':
      // Its value is the documents uploaded through the field (contacts.ts attaches and detaches them by id).
      throw invalidField(path, `${field.key} holds files: upload them through the field (POST /contacts/:id/documents with fieldKey).`);
    case 'url': {
      if (typeof value !== 'string') throw fail('a web address');
      const url = normalizeUrl(value, path);
      return { json: JSON.stringify(url), text: url, num: null };
    }
  }
}

/**
 * "First Last", else the primary phone as people read it (displayPhone), else the primary email, else a handle with
 * its channel ("@jane.doe · Instagram").
 */
export function displayName(
  first: string | null | undefined,
  last: string | null | undefined,
  primaryPhone: string | null | undefined,
  primaryEmail: string | null | undefined,
  region: string,
  handle?: { channel: string; handle: string } | null,
): string {
  const name = [first, last].filter((p) => p && p.trim()).join(' ').trim();
  return name || (primaryPhone && displayPhone(primaryPhone, region)) || primaryEmail || (handle ? handleName(handle) : '');
}

/** A stored (E.164) number parsed, with its formats once asked for. */
export interface ParsedE164 {
  phone: PhoneNumber;
  national?: string;
  international?: string;
}

// Parsing and formatting cost far more than anything else done with a number, and the same stored numbers are asked
// about again and again (shown in every read, tokenized by the search index): one remembered parse serves them all.
const parsedE164s = new Map<string, ParsedE164 | null>();

/** A stored number parsed (null if it cannot be), remembered for the next few thousand numbers. */
export function parseE164(e164: string): ParsedE164 | null {
  let parsed = parsedE164s.get(e164);
  if (parsed === undefined) {
    const phone = parsePhoneNumberFromString(e164);
    parsed = phone ? { phone } : null;
    if (parsedE164s.size >= 20_000) parsedE164s.delete(parsedE164s.keys().next().value!);
    parsedE164s.set(e164, parsed);
  }
  return parsed;
}

export const nationalFormat = (p: ParsedE164) => (p.national ??= p.phone.formatNational());
const internationalFormat = (p: ParsedE164) => (p.international ??= p.phone.formatInternational());

/**
 * An E.164 number as people read it: the national format for numbers of the workspace's region ("(415) 555-0199"
 * in a US workspace), the international one otherwise ("+44 20 7946 0958").
 */
export function displayPhone(e164: string, region: string): string {
  const parsed = parseE164(e164);
  return !parsed ? e164 : parsed.phone.country === region ? nationalFormat(parsed) : internationalFormat(parsed);
}

const CHANNEL_NAMES: Record<string, string> = { instagram: 'Instagram', facebook: 'Facebook', whatsapp: 'WhatsApp', sms: 'SMS' };

/** "@jane.doe · Instagram": how a contact known only by a channel handle is named. */
export const handleName = (h: { channel: string; handle: string }) =>
  `@${h.handle} · ${CHANNEL_NAMES[h.channel] ?? h.channel.charAt(0).toUpperCase() + h.channel.slice(1)}`;
