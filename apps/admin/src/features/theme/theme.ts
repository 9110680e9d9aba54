'use client';

import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'storesync.theme';
const listeners = new Set<() => void>();

function systemTheme(): Theme {
  return typeof window !== 'undefined' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function readChoice(): ThemeChoice {
  if (typeof window === 'undefined') return 'system';
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

function resolve(choice: ThemeChoice): Theme {
  return choice === 'system' ? systemTheme() : choice;
}

/** Sets `data-theme` on <html>, which every colour in globals.css (and the charts) follows. */
function apply(): void {
  document.documentElement.dataset.theme = resolve(readChoice());
  for (const listener of listeners) listener();
}

export function setThemeChoice(choice: ThemeChoice): void {
  if (choice === 'system') window.localStorage.removeItem(STORAGE_KEY);
  else window.localStorage.setItem(STORAGE_KEY, choice);
  apply();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // The system preference changing matters while the choice is "system".
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => apply();
  media.addEventListener('change', onChange);
  return () => {
    listeners.delete(listener);
    media.removeEventListener('change', onChange);
  };
}

/** The theme in force; re-renders when it changes. */
export function useTheme(): Theme {
  return useSyncExternalStore(
    subscribe,
    () => resolve(readChoice()),
    () => 'light',
  );
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, readChoice, () => 'system');
}

/**
 * Runs before the first paint (inline in <head>) so a dark page never flashes light. Kept as
 * a string: it must not wait for the bundle.
 */
export const THEME_BOOT_SCRIPT = `try{var c=localStorage.getItem('${STORAGE_KEY}');var d=c==='dark'||(c!=='light'&&matchMedia('(prefers-color-scheme: dark)').matches);document.documentElement.dataset.theme=d?'dark':'light'}catch(e){}`;
