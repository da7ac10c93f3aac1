// `npm run bench`: bundle sizes, then every bench/*.bench.ts (each prints its own figures).
// `npm run bench -- table` runs only benches whose file name contains "table".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];

console.log('=== bundle size ===');
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  console.error(build.stdout, build.stderr);
  process.exit(1);
}
console.log(build.stdout.split('\n').filter((l) => /KB|budget/i.test(l)).join('\n'));

const benches = readdirSync(`${root}bench`).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync('node', ['--expose-gc', '--import', 'tsx', `bench/${file}`], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) console.error(`${file} exited with ${run.status}`);
}
