// Where an export's rows are read. SQLite: a worker thread with its own connection (up to MAX_WORKERS at once),
// else in-process (an in-memory database, or more exports at once than that). PostgreSQL: in-process through a
// server-side cursor (the database does the reading on its own processes). The CSV is written on this thread.
import { Worker } from 'node:worker_threads';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Db } from '../db/connection.js';
import { engineOf, type RawRow } from '../db/engine/index.js';
import { ApiError } from '../http/errors.js';
import { csvExport, exportRows, type ExportJob } from './csv-export-job.js';
import type { WorkerMessage } from './csv-export-worker.js';

const MAX_WORKERS = 2;
/** A download that takes nothing for this long is abandoned: its worker (and connection) goes. */
const STALLED_MS = 10 * 60_000;
let running = 0;
/** Exports reading rows in a worker thread now (tests: a cancelled download ends its worker). */
export const exportWorkers = () => running;

export function exportChunks(db: Db, job: ExportJob): AsyncGenerator<Uint8Array> {
  const engine = engineOf(db);
  const inWorker = engine.kind === 'sqlite' && engine.file !== ':memory:' && running < MAX_WORKERS;
  return csvExport(db, job, inWorker ? rowsInWorker(engine.file, job) : exportRows(db, job));
}

async function* rowsInWorker(file: string, job: ExportJob): AsyncGenerator<RawRow[]> {
  running++;
  const worker = new Worker(new URL('./csv-export-worker.mjs', import.meta.url), { workerData: { file, job } });
  const inbox: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const deliver = (message: WorkerMessage) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (err) => deliver({ error: { status: 500, code: 'internal', message: `Export failed: ${err.message}` } }));
  worker.on('exit', () => deliver({ error: { status: 500, code: 'internal', message: 'Export stopped before the end.' } }));
  try {
    for (;;) {
      // Held open only while the download waits for the worker: one waiting for its reader never keeps the
      // process alive (shutdown, tests), and a stalled one is ended below.
      worker.ref();
      while (!inbox.length) await new Promise<void>((resolve) => (wake = resolve));
      worker.unref();
      const message = inbox.shift()!;
      if ('done' in message) return;
      if ('error' in message) throw new ApiError(message.error.status as ContentfulStatusCode, message.error.code, message.error.message);
      const stalled = setTimeout(() => void worker.terminate(), STALLED_MS).unref();
      yield message.rows;
      clearTimeout(stalled);
      worker.postMessage(1); // the download took a chunk: the worker may write one more
    }
  } finally {
    running--;
    void worker.terminate();
  }
}
