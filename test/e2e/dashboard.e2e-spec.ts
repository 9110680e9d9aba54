import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { seedFile } from '../support/seed';
import { startTestServer, type TestServer } from '../support/server';

// The admin dashboard in a real browser, against a real server on the real test stack.
// Needs the static build: `npm run build:admin` (apps/admin/out).

const ADMIN_INDEX = path.resolve(__dirname, '../../apps/admin/out/index.html');
const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');
const LIVE_TIMEOUT = 10_000; // well under the 30 s fallback refresh: a pass means pushed, not polled

jest.setTimeout(180_000);

// Page functions run in the browser; the root tsconfig has no DOM library.
declare const window: { sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } } & Record<string, unknown>;
declare const document: { querySelectorAll(selector: string): { length: number } };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read JSON answers loosely, field by field
async function api<T = any>(server: TestServer, method: string, route: string, body?: unknown, token = server.token) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function openIssues(server: TestServer, query: string) {
  const { status, body } = await api<{ issues: { id: string; type: string; user_id: string; file_id?: string }[] }>(
    server,
    'GET',
    `/api/sync/issues?status=open&${query}`,
  );
  expect(status).toBe(200);
  return body.issues;
}

/** Follows a link of the main navigation (other links on a page may share its words). */
async function navigate(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('admin dashboard in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_INDEX)) {
      throw new Error(`The dashboard is not built (${ADMIN_INDEX} missing): run \`npm run build:admin\` first.`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer();

    // Planted directly in the stores: alice has a file without its object, bob one without vectors.
    const { stores } = server;
    await seedFile(stores, { userId: 'alice', fileId: 'alice-ok', fileName: 'notes.txt' });
    const lost = await seedFile(stores, { userId: 'alice', fileId: 'alice-lost', fileName: 'lost-report.txt' });
    await stores.objects.delete(lost.record.fileKey);
    await seedFile(stores, { userId: 'bob', fileId: 'bob-ok', fileName: 'plan.txt' });
    await seedFile(stores, { userId: 'bob', fileId: 'bob-unembedded', fileName: 'unembedded.txt' });
    await stores.vectors.deleteByFileId('bob-unembedded');
    const analysis = await api(server, 'POST', '/api/sync/analyze', {});
    expect(analysis.status).toBe(200);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    // The token lives in session storage only, never in an address.
    if (page) expect(page.url()).not.toContain(server.token);
  });

  it('sends an unauthenticated visitor to login, and signs in with the admin token', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login\//);
    await page.getByTestId('login-form').waitFor();
    await screenshot(page, '01-login');
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.evaluate(() => window.sessionStorage.getItem('storesync.admin_token'))).toBe(server.token);
  });

  it('shows the planted issues on the overview', async () => {
    await expect(page.getByTestId('total-missing').textContent()).resolves.toMatch(/^2/);
    await expect(page.getByTestId('total-synced').textContent()).resolves.toMatch(/^2/);
    await page.getByTestId('issues-by-type').locator('tr[data-type="missing_object"]').waitFor();
    await page.getByTestId('issues-by-type').locator('tr[data-type="missing_vectors"]').waitFor();
    await page.getByTestId('store-health').locator('[data-ok="true"]').nth(2).waitFor();
    await page.getByTestId('last-run').waitFor();
    await expect(page.getByTestId('panel-totals').locator('.updated time').count()).resolves.toBe(1);
    await screenshot(page, '02-overview');
  });

  it("shows a user's broken file in the drill-down, with its stores and suggested action", async () => {
    await navigate(page, 'Users');
    await page.locator('[data-testid="user-row"][data-user-id="alice"][data-status="missing"]').waitFor();
    await screenshot(page, '03-users');
    await page.getByRole('link', { name: 'alice', exact: true }).click();
    await page.waitForURL(/\/users\/view\/\?id=alice/);
    const lost = page.locator('[data-testid="file-row"][data-file-id="alice-lost"]');
    await lost.waitFor();
    expect(await lost.getAttribute('data-status')).toBe('missing');
    expect(await lost.locator('[data-store="s3"]').getAttribute('data-state')).toBe('absent');
    expect(await lost.locator('[data-store="mongodb"]').getAttribute('data-state')).toBe('present');
    await lost.locator('[data-testid="file-issue"][data-issue-type="missing_object"]').waitFor();
    expect(await page.locator('[data-testid="file-row"][data-file-id="alice-ok"]').getAttribute('data-status')).toBe('synced');
    await screenshot(page, '04-user-alice');
  });

  it('runs an analysis with a progress bar, and shows the result without a reload', async () => {
    await navigate(page, 'Runs');
    await page.getByTestId('runs-table').waitFor();
    const runsBefore = await page.getByTestId('run-row').count();
    await page.evaluate(() => (window.__sameDocument = true));

    await page.getByTestId('analyze-all').first().click();
    const progress = page.getByTestId('analysis-progress').first();
    await progress.waitFor();
    await page.locator('[data-testid="active-run"][data-state="completed"]').first().waitFor({ timeout: 30_000 });
    await expect(progress.getAttribute('data-state')).resolves.toBe('completed');
    await expect(page.getByTestId('analysis-result').first().textContent()).resolves.toMatch(/4 files: 2 synced, 0 out of\s*sync, 2 missing/);
    await page.waitForFunction((before) => document.querySelectorAll('[data-testid="run-row"]').length > before, runsBefore, {
      timeout: LIVE_TIMEOUT,
    });
    expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
    await screenshot(page, '05-runs');
  });

  it('shows a file uploaded through the API live', async () => {
    await navigate(page, 'Overview');
    await page.getByTestId('panel-live-feed').waitFor();
    await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor({ timeout: LIVE_TIMEOUT });
    const form = new FormData();
    form.set('user_id', 'carol');
    form.set('file', new Blob(['carol writes a short note about storage'], { type: 'text/plain' }), 'carol-note.txt');
    const upload = await fetch(`${server.url}/api/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    await page.locator('[data-testid="live-feed"] [data-type="file.uploaded"]').first().waitFor({ timeout: LIVE_TIMEOUT });
    await navigate(page, 'Users');
    await page.locator('[data-testid="user-row"][data-user-id="carol"]').waitFor({ timeout: LIVE_TIMEOUT });
    await screenshot(page, '06-live-upload');
  });

  it('shows the plan of a dry-run fix and changes nothing', async () => {
    const [issue] = await openIssues(server, 'type=missing_vectors&user_id=bob');
    expect(issue).toBeDefined();
    // The endpoint first (a dry run changes nothing), so a missing route fails here with its status.
    expect((await api(server, 'POST', '/api/sync/fix', { issue_ids: [issue.id], dry_run: true })).status).toBe(200);
    await navigate(page, 'Issues');
    const row = page.locator(`[data-testid="issue-row"][data-issue-id="${issue.id}"]`);
    await row.waitFor();
    await screenshot(page, '07-issues');
    await row.getByRole('checkbox').check();
    await page.getByTestId('fix-selected').click();
    const plan = page.getByTestId('fix-plan');
    await plan.waitFor();
    const planRow = plan.getByTestId('plan-row').first();
    expect(await planRow.getAttribute('data-result')).toBe('planned');
    expect(await planRow.getAttribute('data-destructive')).toBe('false');
    await screenshot(page, '08-fix-plan');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    expect((await openIssues(server, 'type=missing_vectors&user_id=bob')).map((i) => i.id)).toContain(issue.id);
    const detail = await api<{ files: { file_id: string; stores: { qdrant: boolean | null } }[] }>(server, 'GET', '/api/sync/status/bob');
    expect(detail.body.files.find((f) => f.file_id === 'bob-unembedded')?.stores.qdrant).toBe(false);
  });

  it('applies a confirmed fix and the issue disappears', async () => {
    const [issue] = await openIssues(server, 'type=missing_vectors&user_id=bob');
    const row = page.locator(`[data-testid="issue-row"][data-issue-id="${issue.id}"]`);
    await row.getByRole('checkbox').check();
    await page.getByTestId('fix-selected').click();
    await page.getByTestId('fix-plan').waitFor();
    await page.getByTestId('confirm-fix').click();
    const result = page.getByTestId('fix-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getByTestId('result-row').first().getAttribute('data-result')).toBe('done');
    await screenshot(page, '09-fix-result');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
    await row.waitFor({ state: 'detached', timeout: LIVE_TIMEOUT });
    expect((await openIssues(server, 'type=missing_vectors&user_id=bob')).map((i) => i.id)).not.toContain(issue.id);
  });

  it('refuses a bad token, and returns to login when the API stops accepting the session', async () => {
    const stranger = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(`${server.url}/login/`);
    await strangerPage.getByTestId('login-form').waitFor();
    await strangerPage.getByLabel('Admin token').fill('not-the-admin-token');
    await strangerPage.getByRole('button', { name: 'Sign in' }).click();
    await strangerPage.getByTestId('login-error').waitFor();
    expect(await strangerPage.evaluate(() => window.sessionStorage.getItem('storesync.admin_token'))).toBeNull();
    expect(new URL(strangerPage.url()).pathname).toBe('/login/');
    await screenshot(strangerPage, '10-bad-token');

    // A session whose token the API refuses (401) is sent back to login.
    await strangerPage.evaluate(() => window.sessionStorage.setItem('storesync.admin_token', 'revoked-token'));
    await strangerPage.goto(`${server.url}/issues/`);
    await strangerPage.waitForURL(/\/login\/\?reason=expired/);
    expect(await strangerPage.evaluate(() => window.sessionStorage.getItem('storesync.admin_token'))).toBeNull();
    await stranger.close();
  });
});
