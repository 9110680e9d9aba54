import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server';

// The Sync Status Panel in a real browser, embedded in the panel demo host page
// (/panel-demo/), against a real server with the demo data on the real test stack.
// Needs the demo's bundle (apps/panel-demo/dist, built by `npm test` / `npm start`).

const DEMO_INDEX = path.resolve(__dirname, '../../apps/panel-demo/dist/index.html');
const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');
// The panel does not poll: anything seen within this time was pushed over the socket.
const LIVE_TIMEOUT = 10_000;

jest.setTimeout(180_000);

// Page functions run in the browser; the root tsconfig has no DOM library.
declare const window: { __sameDocument?: boolean };
declare const document: { activeElement: { textContent: string | null } | null };
declare function getComputedStyle(element: unknown): { backgroundColor: string; color: string };
/* eslint-disable @typescript-eslint/no-explicit-any -- DOM nodes inside page functions (no DOM library here) */

interface FileRow {
  file_id: string;
  file_name: string;
  file_key: string;
  status: string;
}

/** The demo seed starts an analysis: wait for it (closing a server under a running analysis logs its failure). */
async function demoAnalysisDone(server: TestServer): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${server.url}/api/sync/overview`, { headers: { Authorization: `Bearer ${server.token}` } });
    const overview = (await response.json()) as { last_run: { state: string } | null; running: unknown[] };
    if (overview.last_run?.state === 'completed' && overview.running.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the demo analysis did not complete');
}

/** WCAG contrast of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (rgb: string) => {
    const [r, g, bl] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
    const f = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Every text the panel shows, with its colour and the first opaque background behind it. */
async function textColours(page: Page): Promise<{ text: string; color: string; background: string }[]> {
  return page.locator('.ssp').evaluate((root) => {
    const opaque = (element: any): string => {
      for (let node = element; node; node = node.parentElement) {
        const bg = getComputedStyle(node).backgroundColor;
        if (bg && bg !== 'transparent' && !bg.startsWith('rgba(0, 0, 0, 0')) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const selector = '.ssp-title, .ssp-summary, .ssp-live, .ssp-badge, .ssp-file-name, .ssp-meta, .ssp-store, .ssp-issue p, .ssp-suggested, button, .ssp-note';
    return [...root.querySelectorAll(selector)].map((element: any) => ({
      text: String(element.textContent).slice(0, 40),
      color: getComputedStyle(element).color,
      background: opaque(element),
    }));
  });
}

describe('the Sync Status Panel in the demo host, in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  async function admin<T = any>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  const filesOf = async (userId: string) => (await admin<{ files: FileRow[] }>('GET', `/api/sync/status/${userId}`)).body.files;
  const openIssuesOf = async (userId: string) =>
    (await admin<{ issues: { id: string; type: string; file_id: string }[] }>('GET', `/api/sync/issues?status=open&user_id=${userId}`)).body.issues;

  const panel = () => page.getByRole('region', { name: 'Sync status of your files' });
  const fileRow = (fileId: string): Locator => panel().locator(`[data-testid="ssp-file"][data-file-id="${fileId}"]`);
  const shownFileIds = async () =>
    panel()
      .locator('[data-testid="ssp-file"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-file-id')));

  async function screenshot(name: string) {
    await page.screenshot({ path: path.join(SCREENSHOTS, `panel-${name}.png`), fullPage: true });
  }

  async function openAs(userId: string, theme: 'light' | 'dark') {
    await page.goto(`${server.url}/panel-demo/?user=${userId}&theme=${theme}`);
    await panel().locator('[data-testid="ssp-live"][data-live="live"]').waitFor({ timeout: LIVE_TIMEOUT });
    await panel().locator('[data-testid="ssp-file"]').first().waitFor();
  }

  async function upload(userId: string, name: string, text: string): Promise<{ file_id: string; file_key: string }> {
    const form = new FormData();
    form.set('user_id', userId);
    form.set('file', new Blob([text], { type: 'text/plain' }), name);
    const response = await fetch(`${server.url}/api/files`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: form });
    expect(response.status).toBe(201);
    return (await response.json()) as { file_id: string; file_key: string };
  }

  beforeAll(async () => {
    if (!fs.existsSync(DEMO_INDEX)) {
      throw new Error(`The panel demo is not built (${DEMO_INDEX} missing): run \`node apps/panel-demo/build.mjs\` first.`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    // As under `npm start`: demo data, no SYNC_API_TOKEN (so the demo's token route answers).
    server = await startTestServer({ SEED_DEMO: 'true', SYNC_API_TOKEN: '' });
    await demoAnalysisDone(server);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows bob's files with their planted issues, and nothing of any other user", async () => {
    const bobFiles = await filesOf('bob');
    const bobIssues = await openIssuesOf('bob');
    expect(bobIssues.map((i) => i.type).sort()).toEqual(['missing_object', 'missing_vectors']);
    await openAs('bob', 'light');

    expect((await shownFileIds()).sort()).toEqual(bobFiles.map((f) => f.file_id).sort());
    for (const other of ['alice', 'carol', 'dave', 'erin', 'frank']) {
      const theirs = new Set((await filesOf(other)).map((f) => f.file_id));
      expect((await shownFileIds()).filter((id) => id !== null && theirs.has(id))).toEqual([]);
    }
    const shownIssues = await panel()
      .locator('[data-testid="ssp-issue"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-issue-type')));
    expect(shownIssues.sort()).toEqual(['missing_object', 'missing_vectors']);

    const lost = fileRow(bobIssues.find((i) => i.type === 'missing_object')!.file_id);
    expect(await lost.getAttribute('data-status')).toBe('missing');
    expect(await lost.locator('[data-store="s3"]').getAttribute('data-state')).toBe('absent');
    expect(await lost.locator('[data-store="mongodb"]').getAttribute('data-state')).toBe('present');
    // Status in words as well as colour, the issue explained with what to do, and a last-updated time.
    await expect(lost.locator('.ssp-badge').first().textContent()).resolves.toContain('Missing');
    await expect(lost.locator('[data-issue-type="missing_object"]').textContent()).resolves.toMatch(/Contents missing.*What to do: .+/s);
    expect(await lost.locator('.ssp-meta time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    // No repair is offered for a missing object: only re-embeds are allowed to users (default policy).
    await expect(lost.getByRole('button', { name: /Restore/ }).count()).resolves.toBe(0);

    const unembedded = fileRow(bobIssues.find((i) => i.type === 'missing_vectors')!.file_id);
    expect(await unembedded.locator('[data-store="qdrant"]').getAttribute('data-state')).toBe('absent');
    await expect(unembedded.getByRole('button', { name: 'Re-embed' }).count()).resolves.toBe(1);
    const synced = bobFiles.find((f) => f.status === 'synced')!;
    await expect(fileRow(synced.file_id).locator('.ssp-badge').first().textContent()).resolves.toContain('Synced');
    await expect(panel().getByTestId('ssp-overall').getAttribute('data-status')).resolves.toBe('missing');
    const weak = (await textColours(page)).filter((t) => contrast(t.color, t.background) < 4.5);
    expect(weak).toEqual([]);
    await screenshot('01-bob-light');
  });

  it('is the same panel in the dark theme', async () => {
    await page.getByTestId('demo-theme').selectOption('dark');
    await page.locator('.ssp[data-theme="dark"]').waitFor();
    const colours = await panel().evaluate((element) => {
      const style = getComputedStyle(element);
      return { background: style.backgroundColor, text: style.color };
    });
    expect(colours).toEqual({ background: 'rgb(13, 17, 23)', text: 'rgb(230, 237, 243)' });
    const weak = (await textColours(page)).filter((t) => contrast(t.color, t.background) < 4.5);
    expect(weak).toEqual([]);
    expect((await textColours(page)).length).toBeGreaterThan(30);
    await screenshot('02-bob-dark');
    await page.getByTestId('demo-theme').selectOption('light');
  });

  it('shows a file of the user uploaded elsewhere, live, and then its breaking after a check', async () => {
    await page.evaluate(() => (window.__sameDocument = true));
    const uploaded = await upload('bob', 'live-upload.txt', 'bob uploads a note while the panel is open');
    const row = fileRow(uploaded.file_id);
    await row.waitFor({ timeout: LIVE_TIMEOUT });
    await expect(row.getAttribute('data-status')).resolves.toBe('synced');

    // Broken behind the service's back: the object deleted directly in S3, then a check.
    await server.stores.objects.delete(uploaded.file_key);
    expect((await admin('POST', `/api/sync/check/${uploaded.file_id}`)).status).toBe(200);
    await panel().locator(`[data-testid="ssp-file"][data-file-id="${uploaded.file_id}"][data-status="missing"]`).waitFor({ timeout: LIVE_TIMEOUT });
    expect(await row.locator('[data-store="s3"]').getAttribute('data-state')).toBe('absent');
    await row.locator('[data-issue-type="missing_object"]').waitFor();
    await expect(panel().getByTestId('ssp-announcement').textContent()).resolves.toContain('live-upload.txt is now missing');
    expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
    await screenshot('03-live-break');
  });

  it('asks before re-embedding, can be cancelled by keyboard, and the badge turns green after the re-embed', async () => {
    const [issue] = (await openIssuesOf('bob')).filter((i) => i.type === 'missing_vectors');
    const row = fileRow(issue.file_id);
    const reembed = row.getByRole('button', { name: 'Re-embed', exact: true });

    await reembed.focus();
    await page.keyboard.press('Enter');
    const dialog = row.getByRole('alertdialog');
    await dialog.waitFor();
    // The question has the focus on its confirm button; Escape closes it and returns to the opener.
    await expect(dialog.getByRole('button', { name: 'Re-embed now' }).evaluate((button) => button === document.activeElement)).resolves.toBe(true);
    await screenshot('04-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'Re-embed');
    expect((await openIssuesOf('bob')).map((i) => i.id)).toContain(issue.id);

    await reembed.click();
    await dialog.getByRole('button', { name: 'Re-embed now' }).click();
    await panel().locator(`[data-testid="ssp-file"][data-file-id="${issue.file_id}"][data-status="synced"]`).waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-store="qdrant"]').getAttribute('data-state')).toBe('present');
    await expect(row.locator('[data-testid="ssp-issue"]').count()).resolves.toBe(0);
    await expect(
      row
        .locator('.ssp-badge')
        .first()
        .evaluate((badge) => getComputedStyle(badge).color),
    ).resolves.toBe('rgb(17, 99, 41)');
    expect((await openIssuesOf('bob')).map((i) => i.id)).not.toContain(issue.id);
    const audit = await admin<{ actions: { actor: string; result: string; action: string }[] }>('GET', `/api/sync/actions?issue_id=${issue.id}`);
    expect(audit.body.actions).toContainEqual(expect.objectContaining({ actor: 'user', action: 'reembed', result: 'done' }));
    await screenshot('05-reembedded');
  });

  it("gives another user's token nothing of bob's: not on screen, not over REST, not live", async () => {
    const bobIds = new Set((await filesOf('bob')).map((f) => f.file_id));
    await page.getByTestId('demo-user').selectOption('alice');
    await panel().locator('[data-testid="ssp-live"][data-live="live"]').waitFor({ timeout: LIVE_TIMEOUT });
    await panel().locator('[data-testid="ssp-file"]').first().waitFor();
    const aliceIds = (await filesOf('alice')).map((f) => f.file_id).sort();
    expect((await shownFileIds()).sort()).toEqual(aliceIds);
    await expect(panel().locator('[data-testid="ssp-issue"]').count()).resolves.toBe(0);

    // alice's token, from the page itself, asking for bob's data.
    const probes = await page.evaluate(
      async (bobFile) => {
        const { token } = (await (await fetch('/api/demo/panel-token?user_id=alice')).json()) as { token: string };
        const headers = { Authorization: `Bearer ${token}` };
        const status = await fetch('/api/sync/status/bob', { headers });
        const issues = await fetch('/api/sync/issues?user_id=bob', { headers });
        const check = await fetch(`/api/sync/check/${bobFile}`, { method: 'POST', headers });
        return [status.status, ((await status.json()) as { code: string }).code, issues.status, check.status];
      },
      [...bobIds][0],
    );
    expect(probes).toEqual([403, 'forbidden', 403, 403]);

    // A change to bob's files reaches bob's panel only.
    const uploaded = await upload('bob', 'bob-private.txt', 'only bob may see this');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await shownFileIds()).not.toContain(uploaded.file_id);
    expect((await shownFileIds()).sort()).toEqual(aliceIds);
    await screenshot('06-alice');
  });

  it('catches up after its connection drops (reconnect with replay)', async () => {
    await page.getByTestId('demo-user').selectOption('bob');
    await panel().locator('[data-testid="ssp-live"][data-live="live"]').waitFor({ timeout: LIVE_TIMEOUT });
    // The browser goes offline; what happens meanwhile arrives once the panel is back.
    await page.context().setOffline(true);
    await panel().locator('[data-testid="ssp-live"]:not([data-live="live"])').waitFor({ timeout: LIVE_TIMEOUT });
    const uploaded = await upload('bob', 'while-offline.txt', 'written while the panel was offline');
    await page.context().setOffline(false);
    await panel().locator('[data-testid="ssp-live"][data-live="live"]').waitFor({ timeout: 20_000 });
    await fileRow(uploaded.file_id).waitFor({ timeout: LIVE_TIMEOUT });
  });
});

/** The demo's static files from a plain HTTP server of its own: another origin than storesync's. */
async function serveDemoElsewhere(): Promise<{ origin: string; close(): Promise<void> }> {
  const dist = path.dirname(DEMO_INDEX);
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
  const server = http.createServer((request, response) => {
    const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname) || 'index.html';
    const file = path.join(dist, name);
    if (!fs.existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the panel embedded in a page of another origin', () => {
  let host: { origin: string; close(): Promise<void> };
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    host = await serveDemoElsewhere();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await host?.close();
  });

  it('works when storesync allows the origin (SYNC_CORS_ORIGINS, SOCKET_ALLOWED_ORIGINS), and shows why not when it does not', async () => {
    server = await startTestServer({ SEED_DEMO: 'true', SYNC_API_TOKEN: '', SYNC_CORS_ORIGINS: host.origin, SOCKET_ALLOWED_ORIGINS: host.origin });
    await demoAnalysisDone(server);
    const page = await browser.newPage();
    await page.goto(`${host.origin}/index.html?user=bob&theme=light&storesync=${encodeURIComponent(server.url)}`);
    const panel = page.getByRole('region', { name: 'Sync status of your files' });
    await panel.locator('[data-testid="ssp-live"][data-live="live"]').waitFor({ timeout: LIVE_TIMEOUT });
    await panel.locator('[data-testid="ssp-file"][data-status="missing"]').first().waitFor();
    const bob = (await (await fetch(`${server.url}/api/sync/status/bob`, { headers: { Authorization: `Bearer ${server.token}` } })).json()) as {
      files: FileRow[];
    };
    expect(await panel.locator('[data-testid="ssp-file"]').count()).toBe(bob.files.length);
    await page.close();
    await server.close();

    // The same page against a storesync that does not know this origin: the browser refuses, the page says so.
    server = await startTestServer({ SEED_DEMO: 'true', SYNC_API_TOKEN: '' });
    await demoAnalysisDone(server);
    const refused = await browser.newPage();
    await refused.goto(`${host.origin}/index.html?user=bob&storesync=${encodeURIComponent(server.url)}`);
    await refused.getByRole('alert').waitFor({ timeout: LIVE_TIMEOUT });
    await expect(refused.locator('[data-testid="ssp-file"]').count()).resolves.toBe(0);
    await refused.close();
  });
});

describe('the panel demo token route', () => {
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
  });

  it('hands out demo users only, and nothing at all once SYNC_API_TOKEN is set', async () => {
    server = await startTestServer({ SEED_DEMO: 'true', SYNC_API_TOKEN: '' });
    const ok = await fetch(`${server.url}/api/demo/panel-token?user_id=carol`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ user_id: 'carol', token: expect.stringMatching(/^v1\./) });
    const stranger = await fetch(`${server.url}/api/demo/panel-token?user_id=mallory`);
    expect([stranger.status, ((await stranger.json()) as { code: string }).code]).toEqual([403, 'forbidden']);
    await demoAnalysisDone(server);
    await server.close();

    server = await startTestServer({ SEED_DEMO: 'true' }); // a token is set: a deployment, not the local demo
    await demoAnalysisDone(server);
    const refused = await fetch(`${server.url}/api/demo/panel-token?user_id=carol`);
    expect(refused.status).toBe(404);
    expect((await fetch(`${server.url}/panel-demo/`)).status).not.toBe(404); // the page itself is harmless
  });
});
