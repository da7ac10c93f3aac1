// A throwaway PostgreSQL server for the PostgreSQL test run and the benchmarks: finds Debian's PostgreSQL (installs
// the `postgresql` package with apt when missing and running as root), creates a cluster in a temp folder
// (`initdb`, as the `postgres` user when root), starts it on a free port (`pg_ctl`), and removes it on stop().
// Usable as a module (startPostgres) or from the shell: `node scripts/postgres.mjs` prints DATABASE_URL and keeps
// the server up until Ctrl+C.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const isRoot = process.getuid?.() === 0;

/** The folder with initdb and pg_ctl: $PG_BIN, Debian's newest /usr/lib/postgresql/<v>/bin, or pg_config's. */
function findBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(join(debian, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(debian, versions[0], 'bin');
  }
  const which = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (which.status === 0 && existsSync(join(which.stdout.trim(), 'initdb'))) return which.stdout.trim();
  return null;
}

/** PostgreSQL's server binaries, installed with apt when missing and we are root; else an error saying what to install. */
export function ensurePostgres() {
  let bin = findBin();
  if (bin) return bin;
  if (!isRoot) throw new Error('PostgreSQL is not installed: install Debian\'s "postgresql" package (or set PG_BIN to the folder holding initdb and pg_ctl).');
  console.log('[postgres] installing Debian\'s postgresql package…');
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql', 'postgresql-contrib'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  bin = findBin();
  if (!bin) throw new Error('apt-get installed postgresql, but initdb was not found under /usr/lib/postgresql.');
  return bin;
}

/** A port nobody listens on: $PG_PORT, else one the OS hands out. */
function freePort() {
  if (process.env.PG_PORT) return Promise.resolve(Number(process.env.PG_PORT));
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh cluster in a temp folder, removed on stop; or, given `dir`, the cluster kept there (created on
 * first use, left in place on stop: the benchmarks keep their seeded million contacts between runs). `fast`
 * (tests): no fsync, no full-page writes — a crash loses the data, which is fine for throwaway tests and nothing
 * else. Returns the superuser URL and stop() (safe to call twice; also runs on exit).
 */
export async function startPostgres({ fast = true, quiet = false, dir: keepIn = null } = {}) {
  const bin = ensurePostgres();
  const dir = keepIn ?? mkdtempSync(join(tmpdir(), 'dossier-pg-'));
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  const asOwner = (cmd, args) => (isRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args]);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd, args) => {
    const [file, argv] = asOwner(cmd, args);
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  // C.UTF-8: Unicode-aware character classes for full-text search; the schema sets byte-order collation itself.
  if (!existsSync(join(data, 'PG_VERSION'))) {
    rmSync(data, { recursive: true, force: true });
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  }
  const port = await freePort();
  const settings = [
    `-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200', '-c shared_buffers=256MB',
    '-c work_mem=16MB', '-c maintenance_work_mem=256MB', '-c max_wal_size=4GB', '-c log_min_messages=warning',
    // Commits do not wait for their WAL flush (what SQLite's WAL with synchronous=NORMAL does too).
    '-c synchronous_commit=off',
    ...(fast ? ['-c fsync=off', '-c full_page_writes=off'] : []),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (!quiet) console.log(`[postgres] ${bin.replace(/\/bin$/, '')} on port ${port} (cluster in ${dir})`);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // A kept cluster shuts down cleanly (no recovery on the next start); a throwaway one at once.
    const [file, argv] = asOwner('pg_ctl', ['-D', data, '-m', keepIn ? 'fast' : 'immediate', '-w', 'stop']);
    spawnSync(file, argv, { stdio: 'ignore' });
    if (!keepIn) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url, port, dir, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pg = await startPostgres({ fast: process.argv.includes('--fast') });
  console.log(`DATABASE_URL=${pg.url}`);
  const end = () => (pg.stop(), process.exit(0));
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
  setInterval(() => {}, 1 << 30);
}
