// A save refused with 409 version_conflict: someone else changed a list since the user saw it. The user's edit is
// taken as a delta from what they saw (tags added / removed, rows added, removed or relabelled) and applied again to
// the list as it is now. Loaded on that rare path only.
import { DossierApiError } from '../../../core/src/api.js';
import { addMessages, t } from '../../../core/src/i18n.js';
import type { ContactJson } from '../../../core/src/types.js';
import type { ContactPatch, EntryRow } from './patch.js';

addMessages('en', {
  'record.conflict': 'Someone else changed this while you were editing. What you typed is kept: check it and change it again, or discard it.',
});

/** fresh − what the user removed + what the user added (by `key`: tags compare case-insensitively). */
export function rebaseSet(base: string[], mine: string[], fresh: string[], key = (v: string) => v): string[] {
  const keys = (list: string[]) => new Set(list.map(key));
  const had = keys(base);
  const kept = keys(mine);
  const result = fresh.filter((v) => !had.has(key(v)) || kept.has(key(v)));
  const now = keys(result);
  for (const v of mine) if (!had.has(key(v)) && !now.has(key(v))) result.push(v);
  return result;
}

/**
 * Rows by value: ones the user removed go, ones they added are appended, a label or primary they changed is set on
 * the row with that value. Null when a row the user changed is gone now (that needs the user's eyes).
 */
export function rebaseRows(base: EntryRow[], mine: EntryRow[], fresh: EntryRow[]): EntryRow[] | null {
  const byValue = (list: EntryRow[]) => new Map(list.map((r) => [r.value, r]));
  const was = byValue(base);
  const wanted = byValue(mine);
  const result = fresh.filter((r) => !was.has(r.value) || wanted.has(r.value)).map(({ value, label, primary }) => ({ value, label, primary }));
  const now = byValue(result);
  for (const row of mine) {
    const before = was.get(row.value);
    const target = now.get(row.value);
    if (!before) {
      if (!target) result.push({ value: row.value, label: row.label, primary: row.primary });
    } else if (before.label !== row.label || before.primary !== row.primary) {
      if (!target) return null;
      target.label = row.label;
      target.primary = row.primary;
    }
  }
  // The user's choice of primary wins over one made meanwhile.
  const chosen = mine.find((r) => r.primary && (!was.get(r.value)?.primary || !was.has(r.value)));
  if (chosen) for (const r of result) r.primary = r.value === chosen.value;
  return result;
}

/** The user's patch made again on top of `fresh` (it was made on top of `base`); null when it cannot be. */
export function rebasePatch(patch: ContactPatch, base: ContactJson, fresh: ContactJson): ContactPatch | null {
  const next: ContactPatch = { ...patch };
  if (patch.tags) next.tags = rebaseSet(base.tags, patch.tags, fresh.tags, (v) => v.toLowerCase());
  if (patch.followerIds) next.followerIds = rebaseSet(base.followerIds, patch.followerIds, fresh.followerIds);
  for (const kind of ['emails', 'phones'] as const) {
    const mine = patch[kind];
    if (!mine) continue;
    const rows = rebaseRows(base[kind], mine, fresh[kind]);
    if (!rows) return null;
    next[kind] = rows;
  }
  if (patch.customFields) {
    next.customFields = { ...patch.customFields };
    for (const [key, value] of Object.entries(patch.customFields)) {
      if (!Array.isArray(value)) continue;
      const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
      next.customFields[key] = rebaseSet(list(base.customFields[key]), value as string[], list(fresh.customFields[key]));
    }
  }
  return next;
}

/**
 * After a 409: reads the contact as it is now, hands it over (`take`, with the rebased patch or null), and sends the
 * rebased patch with the new version; a few tries, as others may keep writing. Throws a conflict the user must see
 * when the edit cannot be made again.
 */
export async function resolveConflict(
  get: () => Promise<ContactJson>,
  send: (patch: ContactPatch, version: number) => Promise<ContactJson>,
  take: (fresh: ContactJson, again: ContactPatch | null) => void,
  patch: ContactPatch,
  base: ContactJson,
): Promise<ContactJson> {
  for (let attempt = 0; ; attempt++) {
    const fresh = await get();
    const again = rebasePatch(patch, base, fresh);
    take(fresh, again);
    if (!again) throw new DossierApiError(409, 'version_conflict', t('record.conflict'));
    try {
      return await send(again, fresh.version);
    } catch (err) {
      if ((err as DossierApiError).code !== 'version_conflict' || attempt > 1) throw err;
      [patch, base] = [again, fresh];
    }
  }
}
