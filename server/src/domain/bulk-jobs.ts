// Long-running work (bulk actions, imports) as rows in bulk_jobs that clients poll for progress.
import type { Db } from '../db/connection.js';
import type { BulkJobRow } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { notFound } from '../http/errors.js';
import { newId } from '../ids.js';

/** Errors kept per job; the `failed` counter keeps counting past it. */
const MAX_ERRORS = 1000;

export interface JobError {
  id?: string;
  row?: number;
  field?: string;
  message: string;
  /** An import row left out on purpose (it matched an existing contact), not a failure; `id` is the match. */
  skipped?: true;
}

export interface BulkJobJson {
  id: string;
  kind: string;
  status: BulkJobRow['status'];
  total: number;
  done: number;
  failed: number;
  errors: JobError[];
  summary: Record<string, number> | null;
  createdAt: number;
  finishedAt: number | null;
}

export const jobJson = (r: BulkJobRow): BulkJobJson => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  total: r.total,
  done: r.done,
  failed: r.failed,
  errors: JSON.parse(r.errors) as JobError[],
  summary: r.summary ? (JSON.parse(r.summary) as Record<string, number>) : null,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** Progress of one job, written to its row as chunks complete. */
export class JobProgress {
  done = 0;
  failed = 0;
  errors: JobError[] = [];
  summary: Record<string, number> = {};
  /** Entries past `maxErrors`: counted, and named in one closing entry. */
  private unlisted = 0;
  constructor(
    private readonly db: Db,
    readonly id: string,
    public total: number,
    private readonly maxErrors = MAX_ERRORS,
  ) {}

  ok(n = 1) {
    this.done += n;
  }
  fail(error: JobError) {
    this.failed++;
    this.note(error);
  }
  /** Another error about an item already counted as failed. */
  note(error: JobError) {
    if (this.errors.length < this.maxErrors) this.errors.push(error);
    else this.unlisted++;
  }
  bump(key: string, n = 1) {
    this.summary[key] = (this.summary[key] ?? 0) + n;
  }
  async save(finish?: { status: 'done' | 'failed'; at: number }) {
    await this.db
      .updateTable('bulk_jobs')
      .set({
        total: this.total,
        done: this.done,
        failed: this.failed,
        errors: JSON.stringify(this.unlisted ? [...this.errors, { message: `${this.unlisted} more ${this.unlisted === 1 ? 'entry is' : 'entries are'} not listed.` }] : this.errors),
        summary: JSON.stringify(this.summary),
        ...(finish ? { status: finish.status, finished_at: finish.at } : {}),
      })
      .where('id', '=', this.id)
      .execute();
  }
}

export async function createJob(db: Db, caller: Caller, kind: string, total: number, now: number, opts: { maxErrors?: number } = {}): Promise<JobProgress> {
  const id = newId('job_');
  await db
    .insertInto('bulk_jobs')
    .values({ id, workspace_id: caller.workspace.id, member_id: caller.kind === 'member' ? caller.member.id : null, kind, status: 'running', total, done: 0, failed: 0, errors: '[]', summary: null, created_at: now, finished_at: null })
    .execute();
  return new JobProgress(db, id, total, opts.maxErrors);
}

/** Lets other requests run between chunks so a million-row job never blocks the event loop for long. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `work` to the end, recording `failed` with the reason if it throws. Never rejects. */
export async function runJob(job: JobProgress, now: () => number, work: (job: JobProgress) => Promise<void>): Promise<void> {
  try {
    await work(job);
    await job.save({ status: 'done', at: now() });
  } catch (err) {
    job.fail({ message: err instanceof Error ? err.message : String(err) });
    await job.save({ status: 'failed', at: now() }).catch(() => undefined);
  }
}

/** A job by id: members see their own jobs (as in the list), the host backend every job of the workspace. */
export async function getJob(db: Db, caller: Caller, id: string): Promise<BulkJobJson> {
  let query = db.selectFrom('bulk_jobs').selectAll().where('id', '=', id).where('workspace_id', '=', caller.workspace.id);
  if (caller.kind === 'member') query = query.where('member_id', '=', caller.member.id);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('Job');
  return jobJson(row);
}
