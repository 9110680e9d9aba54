// Builds the dashboard's static export only when its sources are newer than the last
// build, so `npm start` stays quick after the first run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../apps/admin/', import.meta.url).pathname;
const built = join(root, 'out', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const sources = ['src', 'next.config.ts', 'package.json', 'tsconfig.json'].map((p) => join(root, p)).filter(existsSync);
const stale = !existsSync(built) || sources.some((p) => newest(p) > statSync(built).mtimeMs);
if (stale) {
  process.stderr.write('storesync: building the admin dashboard (first start takes about half a minute)…\n');
  const result = spawnSync('npm', ['run', '--silent', 'build:admin'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
