import type { ContactJson } from '../../../core/src/types.js';

export interface EntryRow {
  value: string;
  label: string | null;
  primary: boolean;
  /** A phone as people read it (from the server); gone once the user edits the value. */
  display?: string;
}

/** The body of PATCH /api/v1/contacts/:id, as far as the record edits it: only what the user changed. */
export interface ContactPatch {
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  website?: string | null;
  address?: ContactJson['address'];
  emails?: EntryRow[];
  phones?: EntryRow[];
  tags?: string[];
  ownerId?: string | null;
  followerIds?: string[];
  customFields?: Record<string, unknown>;
  dnd?: Partial<ContactJson['dnd']>;
}

/** The optimistic view: what the contact will look like once the server accepts the patch. */
export function applyPatch(contact: ContactJson, patch: ContactPatch): ContactJson {
  const next: ContactJson = { ...contact };
  if ('firstName' in patch) next.firstName = patch.firstName ?? null;
  if ('lastName' in patch) next.lastName = patch.lastName ?? null;
  if ('companyName' in patch) next.companyName = patch.companyName ?? null;
  if ('website' in patch) next.website = patch.website ?? null;
  // The server merges an address part by part (a patch carries the part that changed).
  if ('address' in patch) next.address = patch.address ? { ...contact.address, ...patch.address } : null;
  if ('ownerId' in patch) next.ownerId = patch.ownerId ?? null;
  if (patch.tags) next.tags = patch.tags;
  if (patch.followerIds) next.followerIds = patch.followerIds;
  if (patch.emails) next.emails = patch.emails.map((e) => ({ ...e, verified: false }));
  if (patch.phones) next.phones = patch.phones.map((p) => ({ ...p, display: p.display ?? p.value, verified: false }));
  if (patch.customFields) {
    const merged = { ...contact.customFields, ...patch.customFields };
    for (const [k, v] of Object.entries(merged)) if (v === null || v === '') delete merged[k];
    next.customFields = merged;
  }
  if (patch.dnd) next.dnd = { ...contact.dnd, ...patch.dnd } as ContactJson['dnd'];
  if ('firstName' in patch || 'lastName' in patch) {
    const name = [next.firstName, next.lastName].filter(Boolean).join(' ').trim();
    next.name = name || next.phones.find((p) => p.primary)?.display || next.emails.find((e) => e.primary)?.value || '';
  }
  return next;
}

/** Rows as sent: empty rows dropped, exactly one primary (the first kept row when the primary was dropped). */
export function rowsToSend(rows: EntryRow[]): { sent: EntryRow[]; rowIndex: number[] } {
  const rowIndex: number[] = [];
  const sent: EntryRow[] = [];
  rows.forEach((row, i) => {
    if (!row.value.trim()) return;
    rowIndex.push(i);
    sent.push({ value: row.value.trim(), label: row.label || null, primary: row.primary });
  });
  if (sent.length && !sent.some((r) => r.primary)) sent[0]!.primary = true;
  return { sent, rowIndex };
}
