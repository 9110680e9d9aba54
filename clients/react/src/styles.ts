// The panel's stylesheet. Every colour is a CSS variable (--ssp-*) a host may override on
// `.ssp` or any ancestor; light and dark sets meet WCAG AA (text 4.5:1, badges' borders 3:1).
// Status colours follow the dashboard's: synced green, out of sync amber, missing red, error dark red.
const DARK = `
  --ssp-fg: #e6edf3; --ssp-muted: #9198a1; --ssp-bg: #0d1117; --ssp-surface: #161b22; --ssp-border: #3d444d;
  --ssp-accent: #1f6feb; --ssp-accent-fg: #ffffff; --ssp-focus: #4493f8;
  --ssp-synced-fg: #3fb950; --ssp-synced-bg: #12261e; --ssp-synced-border: #238636;
  --ssp-out_of_sync-fg: #d29922; --ssp-out_of_sync-bg: #272115; --ssp-out_of_sync-border: #9e6a03;
  --ssp-missing-fg: #ff7b72; --ssp-missing-bg: #2d1214; --ssp-missing-border: #da3633;
  --ssp-error-fg: #ffa198; --ssp-error-bg: #161b22; --ssp-error-border: #ffa198;
  --ssp-unchecked-fg: #9198a1; --ssp-unchecked-bg: #161b22; --ssp-unchecked-border: #656c76;
  --ssp-absent-fg: #ff7b72;
`;

export const PANEL_CSS = `
.ssp {
  --ssp-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --ssp-fg: #1f2328; --ssp-muted: #57606a; --ssp-bg: #ffffff; --ssp-surface: #f6f8fa; --ssp-border: #d0d7de;
  --ssp-accent: #0969da; --ssp-accent-fg: #ffffff; --ssp-focus: #0969da; --ssp-radius: 8px;
  --ssp-synced-fg: #116329; --ssp-synced-bg: #dafbe1; --ssp-synced-border: #1a7f37;
  --ssp-out_of_sync-fg: #7d4e00; --ssp-out_of_sync-bg: #fff8c5; --ssp-out_of_sync-border: #bf8700;
  --ssp-missing-fg: #a40e26; --ssp-missing-bg: #ffebe9; --ssp-missing-border: #cf222e;
  --ssp-error-fg: #82071e; --ssp-error-bg: #f6f8fa; --ssp-error-border: #82071e;
  --ssp-unchecked-fg: #57606a; --ssp-unchecked-bg: #f6f8fa; --ssp-unchecked-border: #8c959f;
  --ssp-absent-fg: #a40e26;
}
.ssp[data-theme="dark"] {${DARK}}
@media (prefers-color-scheme: dark) {
  .ssp[data-theme="auto"] {${DARK}}
}
.ssp { font-family: var(--ssp-font); color: var(--ssp-fg); background: var(--ssp-bg); border: 1px solid var(--ssp-border);
  border-radius: var(--ssp-radius); padding: 1rem; line-height: 1.45; font-size: 0.95rem; box-sizing: border-box; }
.ssp *, .ssp *::before, .ssp *::after { box-sizing: inherit; }
.ssp :focus-visible { outline: 3px solid var(--ssp-focus); outline-offset: 2px; }
.ssp-header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 0.75rem; }
.ssp-title { font-size: 1.1rem; margin: 0; font-weight: 650; }
.ssp-spacer { flex: 1; }
.ssp-summary { margin: 0.4rem 0 0.75rem; color: var(--ssp-muted); }
.ssp-live { display: inline-flex; align-items: center; gap: 0.35rem; color: var(--ssp-muted); font-size: 0.85rem; }
.ssp-live::before { content: ""; width: 0.55rem; height: 0.55rem; border-radius: 50%; background: var(--ssp-unchecked-border); }
.ssp-live[data-live="live"]::before { background: var(--ssp-synced-border); }
.ssp-live[data-live="reconnecting"]::before, .ssp-live[data-live="connecting"]::before { background: var(--ssp-out_of_sync-border); }
.ssp-live[data-live="offline"]::before { background: var(--ssp-missing-border); }
.ssp-badge { display: inline-flex; align-items: center; gap: 0.35rem; border: 1px solid; border-radius: 999px;
  padding: 0.05rem 0.6rem; font-size: 0.82rem; font-weight: 600; white-space: nowrap; }
.ssp-badge-icon { font-size: 0.8em; }
.ssp-status-synced { color: var(--ssp-synced-fg); background: var(--ssp-synced-bg); border-color: var(--ssp-synced-border); }
.ssp-status-out_of_sync { color: var(--ssp-out_of_sync-fg); background: var(--ssp-out_of_sync-bg); border-color: var(--ssp-out_of_sync-border); }
.ssp-status-missing { color: var(--ssp-missing-fg); background: var(--ssp-missing-bg); border-color: var(--ssp-missing-border); }
.ssp-status-error { color: var(--ssp-error-fg); background: var(--ssp-error-bg); border-color: var(--ssp-error-border); }
.ssp-status-unchecked { color: var(--ssp-unchecked-fg); background: var(--ssp-unchecked-bg); border-color: var(--ssp-unchecked-border); }
.ssp-files { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem; }
.ssp-file { border: 1px solid var(--ssp-border); border-left-width: 5px; border-radius: var(--ssp-radius); padding: 0.65rem 0.8rem; background: var(--ssp-bg); }
.ssp-file[data-status="synced"] { border-left-color: var(--ssp-synced-border); }
.ssp-file[data-status="out_of_sync"] { border-left-color: var(--ssp-out_of_sync-border); }
.ssp-file[data-status="missing"] { border-left-color: var(--ssp-missing-border); }
.ssp-file[data-status="error"] { border-left-color: var(--ssp-error-border); }
.ssp-file-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.6rem; }
.ssp-file-name { font-weight: 600; margin: 0; font-size: 1rem; overflow-wrap: anywhere; }
.ssp-meta { color: var(--ssp-muted); font-size: 0.85rem; margin: 0.2rem 0 0.4rem; }
.ssp-stores { list-style: none; display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0.3rem 0; padding: 0; }
.ssp-store { border: 1px solid var(--ssp-border); background: var(--ssp-surface); border-radius: 4px; padding: 0 0.45rem; font-size: 0.8rem; }
.ssp-store[data-state="present"] { color: var(--ssp-synced-fg); }
.ssp-store[data-state="absent"] { color: var(--ssp-absent-fg); border-color: var(--ssp-missing-border); text-decoration: line-through; }
.ssp-store[data-state="unknown"] { color: var(--ssp-muted); border-style: dashed; }
.ssp-issues { list-style: none; margin: 0.4rem 0 0; padding: 0; display: grid; gap: 0.4rem; }
.ssp-issue { background: var(--ssp-surface); border-radius: 6px; padding: 0.45rem 0.6rem; }
.ssp-issue-title { font-weight: 600; }
.ssp-issue p { margin: 0.1rem 0; }
.ssp-suggested { color: var(--ssp-muted); font-size: 0.88rem; }
.ssp-actions { display: flex; flex-wrap: wrap; gap: 0.4rem; margin-top: 0.45rem; }
.ssp button { font: inherit; font-size: 0.88rem; min-height: 2rem; padding: 0.2rem 0.75rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--ssp-border); background: var(--ssp-surface); color: var(--ssp-fg); }
.ssp button:hover:not(:disabled) { border-color: var(--ssp-muted); }
.ssp button:disabled { cursor: progress; opacity: 0.7; }
.ssp button.ssp-primary { background: var(--ssp-accent); border-color: var(--ssp-accent); color: var(--ssp-accent-fg); font-weight: 600; }
.ssp-confirm { margin-top: 0.45rem; border: 1px solid var(--ssp-accent); border-radius: 6px; padding: 0.5rem 0.65rem; background: var(--ssp-bg); }
.ssp-confirm p { margin: 0 0 0.4rem; }
.ssp-alert { border: 1px solid var(--ssp-missing-border); background: var(--ssp-missing-bg); color: var(--ssp-missing-fg);
  border-radius: 6px; padding: 0.45rem 0.65rem; margin: 0.4rem 0; }
.ssp-note { color: var(--ssp-synced-fg); font-size: 0.88rem; margin: 0.3rem 0 0; }
.ssp-empty { color: var(--ssp-muted); margin: 0.5rem 0; }
.ssp-visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;
