// `npm test`: type check, server tests, component tests (Chromium), end-to-end tests (Playwright), and the
// Storybook smoke test. Prints each suite's counts and ends with one line "N passed, N failed".
// The server and component suites also run against PostgreSQL: `npm run test:pg` (suites server:pg and
// components:pg), or `npm test -- --with-pg` for everything on both engines (CI). A throwaway PostgreSQL server
// is installed if missing, started for the run (scripts/postgres.mjs) and stopped afterwards.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium } from './chromium.mjs';
import { startPostgres } from './postgres.mjs';

const root = new URL('..', import.meta.url).pathname;
const tmp = `${root}.tmp`;
mkdirSync(tmp, { recursive: true });

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => ((out += d), process.stdout.write(d)));
    child.stderr.on('data', (d) => ((out += d), process.stderr.write(d)));
    // Runners colour their output even when asked not to; strip ANSI codes before reading counts.
    child.on('close', (code) => resolve({ code: code ?? 1, out: out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '') }));
  });
}

/** The failed tests' lines of a node:test or web-test-runner log (✖ / ❌), at most 15, for the summary. */
const failedLines = (out) => [...new Set(out.split('\n').filter((l) => /^\s*(✖|❌)/.test(l)).map((l) => l.trim().slice(0, 200)))].slice(0, 15);

const lastNumber = (out, re) => {
  const all = [...out.matchAll(re)];
  return all.length ? Number(all[all.length - 1][1]) : null;
};

/** "file › title: #attempt error [what it waited for] @file:line" for each failed (or flaky) test in a Playwright JSON report
 * (repeated in the summary, so a CI log that keeps only its end still says what failed and where). */
function playwrightFailures(report) {
  const out = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected' && test.status !== 'flaky') continue;
        const flaky = test.status === 'flaky' ? ' (flaky: passed on a retry)' : '';
        // Every attempt's errors: the first line, what it was waiting for (a timeout's call log), and where.
        const attempts = (test.results ?? []).filter((r) => r.status !== 'passed' && r.status !== 'skipped').map((r, i) => {
          const errors = (r.errors?.length ? r.errors : [r.error]).filter(Boolean);
          return errors.map((e) => {
            const lines = (e.message ?? '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
            const waiting = [/^Locator:/, /waiting for/, /^Expected/].map((re) => lines.slice(1).find((l) => re.test(l))).find(Boolean);
            const at = e.location ? ` @${e.location.file.split('/').pop()}:${e.location.line}` : '';
            return `#${i + 1} ${(lines[0] ?? '').slice(0, 200)}${waiting ? ` [${waiting.slice(0, 160)}]` : ''}${at}`;
          }).join(' | ');
        });
        out.push(`${spec.file ?? file} › ${spec.title}${flaky}: ${attempts.join(' || ')}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, child.file ?? file);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file);
  return out;
}

/** Counts from Playwright's JSON report; a non-zero exit with no failed test (a server that did not start) counts as one failure. */
function playwrightCounts(file, code) {
  try {
    const { stats } = JSON.parse(readFileSync(file, 'utf8'));
    const counts = { passed: stats.expected + stats.flaky, failed: stats.unexpected, failures: playwrightFailures(JSON.parse(readFileSync(file, 'utf8'))) };
    if (code !== 0 && counts.failed === 0) return { ...counts, failed: 1, crashed: true };
    return counts;
  } catch {
    return { passed: 0, failed: 1, crashed: true };
  }
}

/** The PostgreSQL server of the :pg suites, started on first use; tests make a database each from it. */
let postgres = null;
function postgresEnv() {
  postgres ??= startPostgres();
  return postgres.then(({ url }) => ({ DOSSIER_TEST_DATABASE_URL: url }));
}
const stopPostgres = () => postgres?.then((pg) => pg.stop(), () => {});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (stopPostgres(), process.exit(130)));

const suites = {
  async typecheck() {
    const { code } = await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
    return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  },
  async server(env = {}) {
    const { code, out } = await run('bash', ['scripts/run-server-tests.sh'], env);
    const passed = lastNumber(out, /ℹ pass (\d+)/g);
    const failed = lastNumber(out, /ℹ fail (\d+)/g);
    if (passed === null) return { passed: 0, failed: 1, crashed: true, failures: failedLines(out) };
    return { passed, failed: failed ?? (code ? 1 : 0), failures: failed ? failedLines(out) : [] };
  },
  /** The document routes again, with document bytes in a real S3-compatible server (s3rver, started by the tests). */
  async s3() {
    const files = ['documents', 'document-streams', 'messages', 'share', 'contact-avatar'].map((f) => `server/src/routes/${f}.test.ts`);
    const { code, out } = await run('bash', ['scripts/run-server-tests.sh'], { SERVER_TEST_FILES: files.join(' '), DOSSIER_TEST_BLOBS: 's3', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    const passed = lastNumber(out, /ℹ pass (\d+)/g);
    const failed = lastNumber(out, /ℹ fail (\d+)/g);
    if (passed === null) return { passed: 0, failed: 1, crashed: true, failures: failedLines(out) };
    return { passed, failed: failed ?? (code ? 1 : 0), failures: failed ? failedLines(out) : [] };
  },
  async components(env = {}) {
    const { code, out } = await run('npx', ['wtr', '--static-logging'], env);
    const m = [...out.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
    if (!m) return { passed: 0, failed: 1, crashed: true, failures: failedLines(out) };
    return { passed: Number(m[1]), failed: Number(m[2]) || (code ? 1 : 0), failures: Number(m[2]) ? failedLines(out) : [] };
  },
  async e2e() {
    const report = `${tmp}/e2e-report.json`;
    rmSync(report, { force: true });
    const { code } = await run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    return playwrightCounts(report, code);
  },
  /** React 19 and Vue 3 hosts on the packed packages (e2e/hosts): build, pack, install + typecheck + build each host, drive them. */
  async hosts() {
    for (const [cmd, ...args] of [['npm', 'run', '--silent', 'build'], ['node', 'scripts/pack.mjs'], ['node', 'e2e/hosts/prepare.mjs']]) {
      if ((await run(cmd, args)).code !== 0) return { passed: 0, failed: 1, crashed: true };
    }
    const report = `${tmp}/hosts-report.json`;
    rmSync(report, { force: true });
    const { code } = await run('npx', ['playwright', 'test', '-c', 'e2e/hosts/playwright.config.ts'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    return playwrightCounts(report, code);
  },
  async stories() {
    const build = await run('npm', ['run', '--silent', 'build-storybook']);
    if (build.code !== 0) return { passed: 0, failed: 1, crashed: true };
    const report = `${tmp}/stories-report.json`;
    rmSync(report, { force: true });
    const { code } = await run('npx', ['playwright', 'test', '-c', 'stories/playwright.config.ts'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    return playwrightCounts(report, code);
  },
};

// The same suites on PostgreSQL.
suites['server:pg'] = async () => suites.server(await postgresEnv());
suites['components:pg'] = async () => suites.components(await postgresEnv());

const browserSuites = new Set(['components', 'e2e', 'hosts', 'stories', 'components:pg']);
const args = process.argv.slice(2);
const defaults = ['typecheck', 'server', 's3', 'components', 'e2e', 'hosts', 'stories'];
const named = args.filter((a) => a !== '--with-pg');
const wanted = [...(named.length ? named : defaults), ...(args.includes('--with-pg') ? ['server:pg', 'components:pg'] : [])];
const results = [];
for (const name of wanted) {
  if (!suites[name]) {
    console.error(`unknown suite "${name}" (known: ${Object.keys(suites).join(', ')})`);
    process.exit(2);
  }
  if (browserSuites.has(name) && !process.env.CHROME_PATH) {
    try {
      process.env.CHROME_PATH = ensureChromium();
    } catch (err) {
      console.error(`\n[test] ${err.message}`);
      results.push({ name, passed: 0, failed: 1, crashed: true });
      continue;
    }
  }
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  let r;
  try {
    r = await suites[name]();
  } catch (err) {
    // PostgreSQL could not be installed or started: say why, count the suite as failed, go on.
    console.error(`\n[test] ${err.message}`);
    r = { passed: 0, failed: 1, crashed: true };
  }
  results.push({ name, ...r, seconds: (Date.now() - started) / 1000 });
}
await stopPostgres();

console.log('\n=== summary ===');
for (const r of results) {
  console.log(`${r.name.padEnd(13)} ${String(r.passed).padStart(4)} passed, ${String(r.failed).padStart(3)} failed${r.crashed ? ' (suite did not run to the end)' : ''}${r.seconds ? `  ${r.seconds.toFixed(1)}s` : ''}`);
}
for (const r of results) for (const f of r.failures ?? []) console.log(`  ✘ ${r.name}: ${f}`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
