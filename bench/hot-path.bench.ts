// Hot path bench: a bare Hono route vs GET and PATCH /api/v1/contacts/:id, measured in the same run with autocannon
// (50 connections, loopback, BENCH_SECONDS each, 10 by default), against `dossier serve` in its own process
// (bench/hot-path-server.ts). Prints req/s, p99, errors and the ratio to bare Hono; goals: GET ≥ 50 %, PATCH ≥ 20 %,
// 0 errors. SQLite by default; BENCH_ENGINES=sqlite,postgres (or postgres) adds a throwaway PostgreSQL cluster
// (scripts/postgres.mjs, durable settings). BENCH_CPU_PROF=<dir> writes the server's CPU profile there
// (node --cpu-prof) for a look in Chrome DevTools. Figures are printed, not asserted.
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { startPostgres } from '../scripts/postgres.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PROFILE = process.env.BENCH_CPU_PROF;

interface Ready {
  api: string;
  bare: string;
  token: string;
  contactIds: string[];
  engine: string;
}

async function startChild(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: Ready }> {
  const execArgv = ['--import', 'tsx', ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [])];
  // The request log goes to /dev/null: written as in production, read by nobody.
  const child = fork(new URL('./hot-path-server.ts', import.meta.url).pathname, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, ready };
}

interface Figures {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  /** Server CPU time per answered request (µs). */
  cpuUs: number;
}

/** The server process's CPU time so far (µs). */
const serverCpu = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.once('message', (m) => resolve((m as { cpu: number }).cpu));
    child.send('cpu');
  });

async function load(child: ChildProcess, name: string, opts: autocannon.Options): Promise<Figures> {
  const cpuBefore = await serverCpu(child);
  const result = await autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
  const cpu = (await serverCpu(child)) - cpuBefore;
  // Non-2xx answers count as errors too: a 401 or 409 is not a served request.
  const errors = result.errors + result.timeouts + result.non2xx;
  return { name, rps: result.requests.average, p99: result.latency.p99, errors, cpuUs: cpu / Math.max(1, result.requests.total) };
}

async function bench(engine: 'sqlite' | 'postgres') {
  let stopPg = () => {};
  const env: NodeJS.ProcessEnv = { DATABASE_URL: '' };
  if (engine === 'postgres') {
    const pg = await startPostgres({ fast: false, quiet: true });
    stopPg = () => pg.stop();
    env.DATABASE_URL = pg.url;
  }
  const { child, ready } = await startChild(env);
  try {
    const auth = { authorization: `Bearer ${ready.token}` };
    const ids = ready.contactIds;
    let n = 0;
    const bare = await load(child, 'bare Hono GET', { url: `${ready.bare}/bare/x`, requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/bare/${ids[n++ % ids.length]}` }) }] });
    const get = await load(child, 'GET /contacts/:id', {
      url: ready.api,
      headers: auth,
      requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/v1/contacts/${ids[n++ % ids.length]}` }) }],
    });
    // BENCH_ONLY=get skips PATCH (for a profile of the read path alone).
    const patch = process.env.BENCH_ONLY === 'get' ? null : await load(child, 'PATCH /contacts/:id', {
      url: ready.api,
      headers: { ...auth, 'content-type': 'application/json' },
      // A real change each time (a no-op patch writes nothing), spread over the contacts.
      requests: [{ method: 'PATCH', setupRequest: (r) => ({ ...r, path: `/api/v1/contacts/${ids[n % ids.length]}`, body: JSON.stringify({ companyName: `Acme ${n++}` }) }) }],
    });
    console.log(`\n${ready.engine} — ${CONNECTIONS} connections, ${SECONDS} s each, loopback`);
    console.log('route                   req/s      p99   errors  vs bare   server CPU/req  vs bare (CPU)');
    for (const f of [bare, get, patch].filter((f): f is Figures => !!f)) {
      const ratio = f === bare ? '' : `${((f.rps / bare.rps) * 100).toFixed(1)} %`;
      const cpuRatio = f === bare ? '' : `${((bare.cpuUs / f.cpuUs) * 100).toFixed(1)} %`;
      console.log(`${f.name.padEnd(22)} ${f.rps.toFixed(0).padStart(7)} ${`${f.p99} ms`.padStart(9)} ${String(f.errors).padStart(7)}  ${ratio.padStart(7)}  ${`${f.cpuUs.toFixed(0)} µs`.padStart(14)}  ${cpuRatio.padStart(12)}`);
    }
    // On a busy machine req/s moves with the neighbours' load; CPU per request much less so.
    console.log(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    if (engine === 'sqlite') {
      const patchGoal = patch ? (patch.rps / bare.rps >= 0.2 ? 'met' : 'NOT met') : 'not run';
      console.log(`goals (SQLite): GET ≥ 50 % ${get.rps / bare.rps >= 0.5 ? 'met' : 'NOT met'}, PATCH ≥ 20 % ${patchGoal}, 0 errors ${get.errors + (patch?.errors ?? 0) === 0 ? 'met' : 'NOT met'}`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    stopPg();
  }
}

for (const engine of (process.env.BENCH_ENGINES ?? 'sqlite').split(',') as ('sqlite' | 'postgres')[]) await bench(engine);
