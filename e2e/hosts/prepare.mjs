// For e2e/hosts/hosts.e2e.ts: installs the packed packages (.tmp/pack/*.tgz from `npm run pack`) into the React and
// Vue host apps as a host team would (`npm install <tarball>`), typechecks each host against the shipped types (tsc
// for the TSX, vue-tsc for the SFC), and builds it with Vite. Each host has its own node_modules (its own TypeScript:
// vue-tsc needs the TypeScript 5 API the repository's TypeScript 7 does not have).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const pack = join(root, '.tmp/pack');
const tarballs = readdirSync(pack).filter((f) => f.endsWith('.tgz'));
const tarball = (name) => {
  const file = tarballs.find((f) => f.startsWith(`dossier-crm-${name}-`));
  if (!file) throw new Error(`no .tmp/pack/dossier-crm-${name}-*.tgz: run npm run pack`);
  return join(pack, file);
};
const run = (cwd, cmd, ...args) => {
  const started = Date.now();
  execFileSync(cmd, args, { cwd, stdio: 'inherit' });
  console.log(`[hosts] ${cmd} ${args[0]} in ${cwd.slice(root.length)}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
};
const install = ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

const hosts = { react: ['elements', 'react'], vue: ['elements'] };
for (const [host, packages] of Object.entries(hosts)) {
  const dir = join(root, 'e2e/hosts', host);
  run(dir, 'npm', ...install, ...packages.map(tarball));
  if (host === 'vue') run(dir, 'npx', 'vue-tsc', '--noEmit', '-p', 'tsconfig.json');
  else run(dir, 'npx', 'tsc', '--noEmit', '-p', 'tsconfig.json');
  run(dir, 'npx', 'vite', 'build', '--logLevel', 'warn');
}

// The server package, unpacked outside the clone (.tmp/server-pack/package) for hosts.e2e.ts to start with
// `dossier serve`. Its dependencies come from the repository's install (a symlinked node_modules: installing them
// would compile better-sqlite3 again); pack.mjs checks they are the ones its package.json declares.
const serverPack = join(root, '.tmp/server-pack');
rmSync(serverPack, { recursive: true, force: true });
mkdirSync(serverPack, { recursive: true });
run(serverPack, 'tar', 'xzf', tarball('server'));
symlinkSync(join(root, 'node_modules'), join(serverPack, 'node_modules'));
