import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestServer } from '../support/server';

const ROOT = path.resolve(__dirname, '../..');
// The CLI must read the same embedded bucket and collection the server seeded.
const LOCAL = { MONGODB_URI: '', S3_ENDPOINT: '', QDRANT_URL: '', REDIS_URL: '', S3_BUCKET: 'files', QDRANT_COLLECTION: 'files' };

function cli(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['dist/apps/server/src/cli.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...LOCAL, DATA_DIR: dataDir, SYNC_GRACE_SECONDS: '0' },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** `npm run cli`: analysis with a progress bar and repairs from a terminal, on the built code. */
describe('the command line', () => {
  let dataDir: string;

  beforeAll(async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storesync-cli-'));
    const seeded = await startTestServer({ ...LOCAL, DATA_DIR: dataDir, SEED_DEMO: 'true' });
    await seeded.close();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('analyses with a progress bar and exits 2 while issues are open', () => {
    const { code, out, err } = cli(dataDir, 'analyze');
    expect(err).toMatch(/analysis \[#+\] 100% 36\/36/);
    expect(out).toMatch(/files 36: 28 synced, 5 out of sync, 3 missing, 0 error/);
    expect(out).toMatch(/missing_vectors\s+2/);
    expect(code).toBe(2);
  });

  it('plans by default and applies only with --apply', () => {
    const dry = cli(dataDir, 'fix', '--type', 'missing_vectors');
    expect(dry.out).toMatch(/dry run: 2 planned, 0 done/);
    const applied = cli(dataDir, 'fix', '--type', 'missing_vectors', '--apply');
    expect(applied.out).toMatch(/applied: 0 planned, 2 done, 0 skipped, 0 failed/);
    expect(cli(dataDir, 'analyze').out).not.toMatch(/missing_vectors/);
  });

  it('names a bad option and a bad variable', () => {
    expect(cli(dataDir, 'fix', '--type', 'bogus')).toMatchObject({ code: 1, err: expect.stringMatching(/--type: unknown issue type bogus/) });
    const bad = spawnSync(process.execPath, ['dist/apps/server/src/cli.js', 'health'], {
      cwd: ROOT,
      env: { ...process.env, ...LOCAL, DATA_DIR: dataDir, SYNC_BATCH_SIZE: 'many' },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/SYNC_BATCH_SIZE/);
  });

  it('doctor: infers the data model, prints a proposed config file and the preview', () => {
    const { code, out } = cli(dataDir, 'doctor');
    expect([0, 2]).toContain(code);
    expect(out).toMatch(/points look written by: storesync/);
    expect(out).toMatch(/# proposed storesync\.config\.yaml/);
    expect(out).toMatch(/file_key: file_key/);
    expect(out).toMatch(/preview: 36 files/);
    const json = JSON.parse(cli(dataDir, 'doctor', '--json').out) as { proposed_config: { vectors: { payload: { file_id: string } } } };
    expect(json.proposed_config.vectors.payload.file_id).toBe('file_id');
  });

  it('refuses to start on a bad config file, naming the path', () => {
    const file = path.join(dataDir, 'bad.config.yaml');
    fs.writeFileSync(file, 'vectors:\n  payload:\n    file_id: null\n');
    const bad = spawnSync(process.execPath, ['dist/apps/server/src/cli.js', 'health'], {
      cwd: ROOT,
      env: { ...process.env, ...LOCAL, DATA_DIR: dataDir, STORESYNC_CONFIG: file },
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/vectors\.payload\.file_id: is required/);
  });
});
