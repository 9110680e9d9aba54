// Builds the static front ends the server serves — the dashboard's export and the panel
// demo's bundle — only when their sources are newer than the last build, so `npm start`
// and `npm test` stay quick after the first run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('../', import.meta.url).pathname;

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

function stale(built, sources) {
  const present = sources.map((p) => join(repo, p)).filter(existsSync);
  return !existsSync(built) || present.some((p) => newest(p) > statSync(built).mtimeMs);
}

function run(what, command, args) {
  process.stderr.write(`storesync: building ${what}…\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: repo });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const admin = 'apps/admin/';
// The dashboard bundles the wire contract and @storesync/client too.
if (
  stale(join(repo, admin, 'out', 'index.html'), [
    ...['src', 'next.config.ts', 'package.json', 'tsconfig.json'].map((p) => admin + p),
    'libs/contract/src',
    'clients/typescript/src',
  ])
) {
  run('the admin dashboard (first start takes about half a minute)', 'npm', ['run', '--silent', 'build:admin']);
}
const demo = 'apps/panel-demo/';
if (
  stale(join(repo, demo, 'dist', 'index.html'), [
    demo + 'src',
    demo + 'index.html',
    demo + 'build.mjs',
    demo + 'tsconfig.json',
    'clients/react/src',
    'clients/typescript/src',
    'libs/contract/src',
  ])
) {
  run('the panel demo', process.execPath, [join(repo, demo, 'build.mjs')]);
}
