export type Changes = Record<string, { before: unknown; after: unknown }>;

/** Object fields whose keys change one by one (a custom field, a DND channel): recorded as `field.key`. */
const PER_KEY = ['customFields', 'dnd'];
const asRecord = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

function flatDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, prefix = ''): Changes {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Changes = {};
  for (const key of keys) {
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[prefix + key] = { before: b, after: a };
  }
  return changes;
}

/**
 * Field-by-field difference of two JSON-like objects (only keys whose values differ); custom fields and DND
 * channels one key each (`customFields.seats`), so an edit of one field does not repeat all the others.
 */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null, ignore: string[] = []): Changes {
  const changes: Changes = {};
  for (const [key, change] of Object.entries(flatDiff(before, after))) {
    if (ignore.includes(key)) continue;
    if (PER_KEY.includes(key)) Object.assign(changes, flatDiff(asRecord(change.before), asRecord(change.after), `${key}.`));
    else changes[key] = change;
  }
  return changes;
}

/**
 * diff(null, after, ignore) for a JSON object (no NaN or undefined inside): its non-null fields, in its key order,
 * without serializing each one to compare (an import writes thousands of these).
 */
export function createdChanges(after: Record<string, unknown>, ignore: string[] = []): Changes {
  const changes: Changes = {};
  for (const key of Object.keys(after)) {
    const value = after[key] ?? null;
    if (value === null || ignore.includes(key)) continue;
    if (!PER_KEY.includes(key)) changes[key] = { before: null, after: value };
    else for (const [k, v] of Object.entries(asRecord(value) ?? {})) if (v !== null && v !== undefined) changes[`${key}.${k}`] = { before: null, after: v };
  }
  return changes;
}
