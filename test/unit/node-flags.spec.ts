import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/**
 * The service's heap flags (see BENCHMARKS.md, F4) live in package.json's config.nodeFlags,
 * used by `npm start`, the CLI and the bench; the image cannot read it, so its CMD repeats them.
 */
describe('node flags of the service', () => {
  const flags = (JSON.parse(read('package.json')) as { config: { nodeFlags: string } }).config.nodeFlags.split(' ');

  it('bound the young generation and the heap growth', () => {
    expect(flags).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/), expect.stringMatching(/^--heap-growing-percent=\d+$/)]),
    );
  });

  it('are the same in the image', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    expect(JSON.parse(cmd!)).toEqual(['node', ...flags, 'dist/apps/server/src/main.js']);
  });

  it('are passed by every script that runs the service', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'cli', 'bench']) expect(scripts[name]).toMatch(/\bnode (--expose-gc )?\$npm_package_config_nodeFlags dist\//);
  });
});
