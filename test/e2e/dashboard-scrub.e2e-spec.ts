import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AppConfig } from '@storesync/config';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedFile } from '../support/seed';
import { startTestServer, type TestServer } from '../support/server';

// The scrubber's panel in a real browser, against a real server on the real test stack.
// Needs the static build: `npm run build:admin` (apps/admin/out).

const ADMIN_INDEX = path.resolve(__dirname, '../../apps/admin/out/index.html');
const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');

jest.setTimeout(120_000);

describe('scrubber panel in the dashboard', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_INDEX)) throw new Error(`The dashboard is not built (${ADMIN_INDEX} missing): run \`npm run build:admin\` first.`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer({ SCRUB_INTERVAL_MINUTES: '0' });
    await seedFile(server.stores, { userId: 'alice', fileId: 'panel-a' });
    await seedFile(server.stores, { userId: 'alice', fileId: 'panel-b' });
    const corrupt = await seedFile(server.stores, { userId: 'bob', fileId: 'panel-corrupt' });
    const s3 = new S3Client({
      endpoint: process.env.S3_ENDPOINT,
      region: process.env.S3_REGION ?? 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID!, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY! },
    });
    await s3.send(new PutObjectCommand({ Bucket: server.app.get(AppConfig).s3Bucket, Key: corrupt.record.fileKey, Body: Buffer.from('rotten bytes') }));
    s3.destroy();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
    await page.goto(`${server.url}/login/`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows coverage before any run, runs now from the button, and shows the run and the mismatch', async () => {
    // On the overview too.
    await page.getByTestId('panel-scrub').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scrubber', exact: true }).click();
    await page.waitForURL(/\/scrub\//);
    const never = page.getByTestId('scrub-never-verified');
    await expect(never.locator('.total-value').textContent()).resolves.toBe('3');
    await expect(page.getByTestId('scrub-verified-recently').locator('.total-value').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('panel-scrub').textContent()).resolves.toContain('No run yet.');

    await page.getByTestId('scrub-run-now').click();
    await page.getByTestId('scrub-last-stopped').filter({ hasText: 'every file due was checked' }).waitFor({ timeout: 30_000 });
    await expect(never.locator('.total-value').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('scrub-verified-recently').textContent()).resolves.toMatch(/^3verified in 30 days \(100 %\)/);
    await expect(page.getByTestId('scrub-mismatched').locator('.total-value').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('scrub-last-verified').textContent()).resolves.toMatch(/^3 files · /);
    await expect(page.getByTestId('scrub-run-now').isEnabled()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scrub-panel.png'), fullPage: true });
    // The dark theme styles the panel through the same variables.
    await page.getByLabel('Theme').selectOption('dark');
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scrub-panel-dark.png'), fullPage: true });

    // The mismatch is an ordinary issue on the issues page.
    const issues = await fetch(`${server.url}/api/sync/issues?status=open&type=checksum_mismatch`, {
      headers: { Authorization: `Bearer ${server.token}` },
    }).then((r) => r.json() as Promise<{ issues: { file_id: string }[] }>);
    expect(issues.issues.map((i) => i.file_id)).toEqual(['panel-corrupt']);
  });
});
