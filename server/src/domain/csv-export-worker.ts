// A worker thread that reads one export's rows (csv-export-job.ts) on its own connection while the server's thread
// writes the CSV of the rows before. It stays at most AHEAD chunks in front of what the download has taken; the
// download ends it on cancel.
import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../db/connection.js';
import { ApiError } from '../http/errors.js';
import type { RawRow } from '../db/engine/index.js';
import { exportRows, type ExportJob } from './csv-export-job.js';
import { registerShareFilters } from './share-filters.js';

export const AHEAD = 2;

export type WorkerMessage = { rows: RawRow[] } | { done: true } | { error: { status: number; code: string; message: string } };

// The query compiler's extensions, as createApp registers them on the server's thread.
registerShareFilters();

const port = parentPort!;
const { file, job } = workerData as { file: string; job: ExportJob };
let credit = AHEAD;
let wake: (() => void) | null = null;
port.on('message', () => {
  credit++;
  wake?.();
});

const opened = openDb(file);
try {
  for await (const rows of exportRows(opened.db, job)) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    port.postMessage({ rows } satisfies WorkerMessage);
  }
  port.postMessage({ done: true } satisfies WorkerMessage);
} catch (err) {
  const api = err instanceof ApiError ? err : null;
  port.postMessage({ error: { status: api?.status ?? 500, code: api?.code ?? 'internal', message: api ? api.message : String(err) } } satisfies WorkerMessage);
} finally {
  await opened.db.destroy();
  port.close();
}
