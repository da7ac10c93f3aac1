// Demo notes and tasks on the newest contacts (the ones the demo shows first), so the record's Tasks and Notes tabs
// have something real in them: a pinned note now and then, a link, line breaks; tasks overdue, due today, later and
// done, assigned to the seeded members. Written once per workspace (skipped when it has notes already).
import type { Db } from '../db/connection.js';
import { newId } from '../ids.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const NOTES = [
  'Called about the renewal. They want a quote for 25 seats before the end of the month.',
  'Prefers WhatsApp over email. Best reached after 4 pm.',
  'Met at the trade fair in Lyon.\nInterested in the reporting add-on; send the case study.',
  'Asked for references in retail. Shared https://example.com/case-studies/retail',
  'Budget approved for Q1. Decision maker is the CFO, not our contact.',
  'Complained about the invoice date — fixed and resent the invoice.',
  'Do not call on Mondays (team meeting all morning).',
  'Signed the NDA. Next: technical call with their IT lead.',
  'Wants a demo for the whole team.\nSuggested dates:\n- Tuesday 10:00\n- Thursday 14:00',
  'Left a voicemail. Will try again on Friday.',
];
const TASKS = [
  ['Send the quote for 25 seats', 'Include the volume discount we discussed.'],
  ['Follow-up call', ''],
  ['Book the team demo', 'Tuesday or Thursday; invite their IT lead.'],
  ['Send the retail case study', ''],
  ['Check the corrected invoice was received', ''],
  ['Prepare the renewal contract', 'Two-year term, price locked.'],
  ['Introduce to the support team', ''],
] as const;

/** A small deterministic generator (the demo looks the same on every machine). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

export async function seedNotesAndTasks(db: Db, workspaceId: string, now: number, contacts = 60): Promise<void> {
  if (await db.selectFrom('notes').select('id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) return;
  const members = (await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).orderBy('id').execute()).map((m) => m.id);
  if (!members.length) return;
  const ids = (await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(contacts).execute()).map((c) => c.id);
  const rnd = random(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const notes = [];
  const tasks = [];
  for (const [i, contactId] of ids.entries()) {
    // The first contact (open in the demo at start) always has some of each.
    const noteCount = i === 0 ? 3 : Math.floor(rnd() * 4);
    for (let n = 0; n < noteCount; n++) {
      const created = now - Math.floor(rnd() * 40 * DAY) - n * HOUR;
      const edited = rnd() < 0.2 ? created + Math.floor(rnd() * DAY) : null;
      notes.push({ id: newId('nt_', created), workspace_id: workspaceId, contact_id: contactId, author_id: pick(members), body: pick(NOTES), pinned_at: n === 0 && (i === 0 || rnd() < 0.15) ? created : null, created_at: created, updated_at: edited ?? created, edited_at: edited });
    }
    const taskCount = i === 0 ? 3 : Math.floor(rnd() * 3);
    for (let k = 0; k < taskCount; k++) {
      const [title, description] = pick(TASKS);
      // Spread over overdue, today, the coming weeks; a third already done.
      const due = i === 0 ? now + [-2 * DAY, 3 * HOUR, 5 * DAY][k]! : now + Math.floor((rnd() * 24 - 6) * DAY);
      const done = i !== 0 && rnd() < 0.33;
      const created = Math.min(now, due) - Math.floor(rnd() * 10 * DAY) - DAY;
      const by = pick(members);
      tasks.push({ id: newId('tk_', created), workspace_id: workspaceId, contact_id: contactId, title, description, due_at: due, assignee_id: pick(members), status: done ? ('completed' as const) : ('open' as const), completed_at: done ? Math.min(now, due) : null, completed_by: done ? by : null, created_by: by, created_at: created, updated_at: done ? Math.min(now, due) : created });
    }
  }
  if (notes.length) await db.insertInto('notes').values(notes).execute();
  if (tasks.length) await db.insertInto('tasks').values(tasks).execute();
}
