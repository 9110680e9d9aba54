import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { SyncStatusPanel } from './index';
import type { SyncPanelClient } from './panel-client';

// Next.js renders client components on the server first: the panel must render there (no
// window, no document, no request made during render) and say it is a client component.

describe('SyncStatusPanel on the server', () => {
  const untouched = (): never => {
    throw new Error('no request may be made while rendering on the server');
  };
  const client: SyncPanelClient = { session: untouched, userStatus: untouched, checkFile: untouched, fix: untouched, live: untouched };

  it('renders its loading state with its styles and an accessible region, calling nothing', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const html = renderToString(createElement(SyncStatusPanel, { token: 'v1.x.y', client, theme: 'dark', title: 'Your files' }));
    expect(html).toMatch(/^<section class="ssp" data-theme="dark" aria-labelledby="[^"]+" aria-busy="true"/);
    expect(html).toContain('<h2 class="ssp-title"');
    expect(html).toContain('Your files');
    expect(html).toContain('Loading your files…');
    expect(html).toContain('--ssp-synced-fg');
  });

  it('makes no request with its own client either (the socket and the fetches start in effects)', () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation(untouched);
    try {
      expect(renderToString(createElement(SyncStatusPanel, { token: 'v1.x.y', baseUrl: 'http://127.0.0.1:9' }))).toContain('Loading your files…');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it.each(['index.ts', 'SyncStatusPanel.tsx'])("starts %s with 'use client' (Next.js app router)", (file) => {
    expect(readFileSync(join(__dirname, file), 'utf8').startsWith("'use client';")).toBe(true);
  });
});
