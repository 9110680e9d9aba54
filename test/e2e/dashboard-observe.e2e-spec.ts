import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedFile } from '../support/seed';
import { startTestServer, type TestServer } from '../support/server';

// The dashboard's observe screens (audit, quarantine, notifications, auto-repair, feeds) and the
// dark theme, in Chromium against a real server on the test stack. Needs `npm run build:admin`.

const ADMIN_INDEX = path.resolve(__dirname, '../../apps/admin/out/index.html');
const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');
const SECRET = 'webhook-signing-secret-0123456789';

jest.setTimeout(180_000);

declare const document: { documentElement: { dataset: Record<string, string | undefined> } };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read JSON answers loosely, field by field
async function api<T = any>(server: TestServer, method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const navigate = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('dashboard: observe screens in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let receiver: http.Server;
  let receiverUp = true;
  const orphanKey = 'dash-orphan/f-orphan/left-behind.txt';

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_INDEX)) throw new Error(`The dashboard is not built (${ADMIN_INDEX} missing): run \`npm run build:admin\` first.`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(receiverUp ? 200 : 503).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer({
      NOTIFY_CHANNELS: JSON.stringify([{ name: 'ops-hook', kind: 'webhook', url: hook, secret: SECRET }]),
      NOTIFY_RULES: JSON.stringify([{ on: ['issues_detected', 'repair_failed'], channels: ['ops-hook'] }]),
      NOTIFY_DIGEST_SECONDS: '1',
      NOTIFY_BACKOFF_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '2',
      AUTO_REPAIR_TYPES: 'missing_vectors',
      AUTO_REPAIR_BATCH_SECONDS: '0',
      CHANGE_FEED_METADATA: 'poll',
      CHANGE_FEED_POLL_INTERVAL_MS: '500',
      S3_EVENTS_WEBHOOK_TOKEN: 's3-webhook-secret-0123456789',
    });
    const { stores } = server;
    // carol: a file without vectors (auto-repaired), a file without its object (stays), an orphan object (quarantined by hand).
    const unembedded = await seedFile(stores, { userId: 'carol', fileName: 'unembedded.txt' });
    await stores.vectors.deleteByFileId(unembedded.record.fileId);
    const lost = await seedFile(stores, { userId: 'carol', fileName: 'lost.txt' });
    await stores.objects.delete(lost.record.fileKey);
    await stores.objects.put(orphanKey, Buffer.from('no metadata names me'), { contentType: 'text/plain' });
    expect((await api(server, 'POST', '/api/sync/analyze', {})).status).toBe(200);
    await until('the automatic re-embed', async () => (await api(server, 'GET', '/api/auto-repair')).body.totals.done >= 1 && true);
    const fix = await api(server, 'POST', '/api/sync/fix', { types: ['orphan_object'], dry_run: false, allow_destructive: true });
    expect(fix.status).toBe(200);
    // A dead letter: the receiver is down for a test message.
    await until(
      'the digest delivery',
      async () => (await api(server, 'GET', '/api/notifications/deliveries?status=delivered')).body.deliveries.length > 0 && true,
    );
    receiverUp = false;
    await api(server, 'POST', '/api/notifications/test', { channel: 'ops-hook' });
    await until('the dead letter', async () => (await api(server, 'GET', '/api/notifications/dead-letters')).body.deliveries.length > 0 && true);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, colorScheme: 'light' });
    page = await context.newPage();
    await page.goto(`${server.url}/login/`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it('audit trail: every action, filtered by actor and user', async () => {
    await navigate(page, 'Audit');
    await page.waitForURL(/\/audit\//);
    await page.getByTestId('audit-row').first().waitFor();
    await screenshot(page, 'observe-01-audit');
    await page.getByLabel('Actor').selectOption('auto');
    await page.getByRole('button', { name: 'Filter' }).click();
    await until('only automatic actions', async () => {
      const actors = await page.getByTestId('audit-row').locator('td:nth-child(2)').allInnerTexts();
      return actors.length > 0 && actors.every((a) => a.trim() === 'auto') && actors;
    });
    await page.getByLabel('Actor').selectOption('');
    await page.getByLabel('User', { exact: true }).fill('nobody-here');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No action matches.').waitFor();
  });

  it('quarantine: lists the quarantined object and restores it', async () => {
    await navigate(page, 'Quarantine');
    const row = page.getByTestId('quarantine-row').filter({ hasText: orphanKey });
    await row.waitFor();
    await screenshot(page, 'observe-02-quarantine');
    await row.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('status').filter({ hasText: 'Restored to' }).waitFor();
    expect(await server.stores.objects.head(orphanKey)).not.toBeNull();
    await page.getByText('Nothing is in quarantine.').waitFor();
  });

  it('notifications: channels, the delivery log and a dead letter retried', async () => {
    receiverUp = true;
    await navigate(page, 'Notifications');
    await page.getByTestId('channel-row').filter({ hasText: 'ops-hook' }).waitFor();
    expect(await page.content()).not.toContain(SECRET);
    const dead = page.locator('[data-testid="delivery-row"][data-status="dead_letter"]');
    await dead.first().waitFor();
    await page.locator('[data-testid="delivery-row"][data-status="delivered"]').first().waitFor();
    await screenshot(page, 'observe-03-notifications');
    const before = await dead.count();
    await dead.first().getByRole('button', { name: 'Retry' }).click();
    await until('the retried dead letter to leave the list', async () => (await dead.count()) < before && true);
  });

  it('automatic repair: the policy and what it did', async () => {
    await navigate(page, 'Auto-repair');
    await page.getByTestId('auto-state').filter({ hasText: 'on' }).waitFor();
    await page.getByTestId('auto-batch').first().waitFor();
    expect(Number(await page.getByTestId('auto-done').innerText())).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'observe-04-auto-repair');
  });

  it('change feeds: connected, with the changes seen', async () => {
    await server.stores.metadata.update((await seedFile(server.stores, { userId: 'dave' })).record.fileId, { fileSize: 12345, updatedAt: new Date() });
    await navigate(page, 'Feeds');
    await page.getByTestId('feed-mongodb-connected').filter({ hasText: 'connected' }).waitFor();
    await page.getByTestId('feed-s3-connected').filter({ hasText: 'connected' }).waitFor();
    await until('a change seen', async () => Number(await page.getByTestId('feed-mongodb-events').innerText()) > 0 && true);
    await screenshot(page, 'observe-05-feeds');
  });

  it('data model: the layout in force, read-only, field by field', async () => {
    await navigate(page, 'Data model');
    await page.getByTestId('data-model-source').filter({ hasText: "storesync's own layout" }).waitFor();
    const metadata = page.getByTestId('data-model-metadata-fields');
    await metadata.waitFor();
    expect(await metadata.getByRole('row', { name: /file_key/ }).innerText()).toContain('file_key');
    const payload = page.getByTestId('data-model-payload-fields');
    expect(await payload.getByRole('row', { name: /chunk_index/ }).innerText()).toContain('chunk_index');
    // Read-only: the page offers nothing to change.
    expect(await page.locator('main').getByRole('textbox').count()).toBe(0);
    await screenshot(page, 'observe-06b-data-model');
  });

  it('dark theme: the toggle and the system preference, charts included', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(dark).toBe('rgb(13, 17, 23)');
    await screenshot(page, 'observe-06-feeds-dark');
    await navigate(page, 'Runs');
    await page.locator('figure.chart svg').first().waitFor();
    // The chart's grid follows the theme.
    expect(await page.locator('figure.chart .recharts-cartesian-grid line').first().getAttribute('stroke')).toBe('#30363d');
    await screenshot(page, 'observe-07-runs-dark');
    await navigate(page, 'Notifications');
    await page.locator('figure.chart svg').first().waitFor();
    await screenshot(page, 'observe-08-notifications-dark');
    await page.getByLabel('Theme').selectOption('light');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(246, 248, 250)');
    // Back to "system": a browser that prefers dark gets dark, before any choice.
    await page.getByLabel('Theme').selectOption('system');
    const darkContext = await browser.newContext({ viewport: { width: 1366, height: 800 }, colorScheme: 'dark' });
    const darkPage = await darkContext.newPage();
    await darkPage.goto(`${server.url}/login/`);
    expect(await darkPage.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(darkPage, 'observe-09-login-system-dark');
    await darkContext.close();
  });
});
