'use client';

import { setThemeChoice, useThemeChoice, type ThemeChoice } from '../theme';

const LABELS: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Light, dark, or whatever the system prefers (the default). */
export function ThemeToggle() {
  const choice = useThemeChoice();
  return (
    <label className="theme-toggle">
      <span className="visually-hidden">Theme</span>
      <select aria-label="Theme" value={choice} onChange={(e) => setThemeChoice(e.target.value as ThemeChoice)}>
        {(Object.keys(LABELS) as ThemeChoice[]).map((value) => (
          <option key={value} value={value}>
            {LABELS[value]} theme
          </option>
        ))}
      </select>
    </label>
  );
}
