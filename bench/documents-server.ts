// The server half of the documents and body-limits benches: a real server in its own process, so its RSS can be
// measured alone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../server/src/deps.js';
import { createWorkspace } from '../server/src/domain/workspaces.js';
import { startServer } from '../server/src/main.js';

const dataDir = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'dossier-bench-'));
// BENCH_DEFAULT_LIMITS=1 (the body-limits bench): the limits a real server has; else room for a 250 MB upload.
const config = process.env.BENCH_DEFAULT_LIMITS ? {} : { documents: { maxBytes: 300 * 1024 * 1024 } };
const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, config });
const { workspaceId, secretKey } = await createWorkspace(server.opened.db, { name: 'Bench' }, systemClock.now());
process.stdout.write(`${JSON.stringify({ url: server.url.replace('localhost', '127.0.0.1'), secretKey, workspaceId, dataDir })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
