import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_CATALOGUE, ERROR_CODES } from '@storesync/contract';

/** docs/api.md's error table is what clients (and the Python client) mirror: it must list every code, at its status. */
describe('docs/api.md error table', () => {
  const docs = fs.readFileSync(path.join(__dirname, '../../docs/api.md'), 'utf8');
  const rows = new Map([...docs.matchAll(/^\| `([a-z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));

  it('lists every code of the catalogue with its status, and no other', () => {
    expect([...rows.keys()].sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(rows.get(code)).toBe(ERROR_CATALOGUE[code].status);
  });
});
