import { css } from 'lit';

/**
 * Design tokens. Hosts theme with `--dossier-*` custom properties (they inherit into shadow roots);
 * components read the private `--_*` copies, which fall back to the light or dark defaults.
 * `theme="dark"` forces dark, `theme="auto"` follows prefers-color-scheme, default is light.
 */
export const tokens = css`
  :host {
    --_font: var(--dossier-font-family, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--dossier-font-size, 14px);
    --_radius: var(--dossier-radius, 8px);
    --_radius-sm: var(--dossier-radius-sm, 6px);
    --_space: var(--dossier-space, 8px);
    --_bg: var(--dossier-color-bg, #ffffff);
    --_surface: var(--dossier-color-surface, #f7f7f9);
    --_text: var(--dossier-color-text, #1b1d23);
    --_muted: var(--dossier-color-muted, #5d6170);
    --_border: var(--dossier-color-border, #dcdee5);
    --_accent: var(--dossier-color-accent, #3b5bdb);
    --_accent-text: var(--dossier-color-accent-text, #ffffff);
    --_accent-soft: var(--dossier-color-accent-soft, #e7ecff);
    --_danger: var(--dossier-color-danger, #c92a2a);
    --_danger-text: var(--dossier-color-danger-text, #ffffff);
    --_danger-soft: var(--dossier-color-danger-soft, #fff0f0);
    --_success: var(--dossier-color-success, #237a34);
    --_warning-soft: var(--dossier-color-warning-soft, #fff8db);
    --_focus: var(--dossier-color-focus, #4263eb);
    --_shadow: var(--dossier-shadow, 0 8px 24px rgb(15 20 40 / 0.16));
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
    color-scheme: light;
    line-height: 1.45;
  }
  :host([data-theme='dark']) {
    --_bg: var(--dossier-color-bg, #17181d);
    --_surface: var(--dossier-color-surface, #202229);
    --_text: var(--dossier-color-text, #e9eaef);
    --_muted: var(--dossier-color-muted, #a3a7b5);
    --_border: var(--dossier-color-border, #363944);
    --_accent: var(--dossier-color-accent, #8ea4ff);
    --_accent-text: var(--dossier-color-accent-text, #10131d);
    --_accent-soft: var(--dossier-color-accent-soft, #262d4a);
    --_danger: var(--dossier-color-danger, #ff8787);
    /* The dark theme's danger red is light: text on it is dark, as on the accent. */
    --_danger-text: var(--dossier-color-danger-text, #1f0d0f);
    --_danger-soft: var(--dossier-color-danger-soft, #3b2024);
    --_success: var(--dossier-color-success, #69db7c);
    --_warning-soft: var(--dossier-color-warning-soft, #3a3520);
    --_focus: var(--dossier-color-focus, #91a7ff);
    --_shadow: var(--dossier-shadow, 0 8px 24px rgb(0 0 0 / 0.5));
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
`;

/** Buttons, inputs and small pieces every widget uses. */
export const controls = css`
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    border: 1px solid var(--_border);
    background: var(--_bg);
    border-radius: var(--_radius-sm);
    padding: 6px 12px;
    min-height: 32px;
  }
  .btn:hover {
    background: var(--_surface);
  }
  .btn[disabled] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .btn.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  .btn.danger {
    color: var(--_danger);
    border-color: currentColor;
  }
  .btn.primary.danger {
    background: var(--_danger);
    color: var(--_danger-text);
    border-color: var(--_danger);
  }
  /* Chevrons point the reading direction's way. */
  .mirror:dir(rtl) {
    transform: scaleX(-1);
  }
  .icon-btn {
    display: inline-grid;
    place-items: center;
    width: 32px;
    height: 32px;
    border: 1px solid transparent;
    border-radius: var(--_radius-sm);
    background: transparent;
    padding: 0;
  }
  .icon-btn:hover:not([disabled]) {
    background: var(--_surface);
    border-color: var(--_border);
  }
  .icon-btn[disabled] {
    opacity: 0.4;
    cursor: not-allowed;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    padding: 6px 8px;
    min-height: 32px;
    min-width: 0;
    /* A value wider than its box ends in "…" (Chromium shows it while the field is not being edited). */
    text-overflow: ellipsis;
  }
  /* Check boxes and radios are not text boxes: no box padding, and their label sits beside them. */
  input[type='checkbox'],
  input[type='radio'] {
    min-height: 0;
    padding: 0;
    margin: 0;
    accent-color: var(--_accent);
  }
  label:has(> input[type='checkbox']),
  label:has(> input[type='radio']) {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    color: var(--_text);
  }
  /* The file picker's button in the theme's colours (the browser's own is light even in dark pages). */
  input[type='file']::file-selector-button {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius-sm);
    padding: 2px 10px;
    margin-inline-end: 8px;
    cursor: pointer;
  }
  input[aria-invalid='true'],
  select[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  label {
    color: var(--_muted);
    font-size: 0.92em;
  }
  .field-error {
    color: var(--_danger);
    font-size: 0.9em;
    margin: 2px 0 0;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** The side panel a widget slides over its own content (filters, columns); each panel sets only its width. */
export const panelStyles = css`
  .panel {
    position: absolute;
    inset-block: 0;
    inset-inline-end: 0;
    width: var(--_panel-width, min(340px, 100%));
    z-index: 5;
    background: var(--_bg);
    border-inline-start: 1px solid var(--_border);
    box-shadow: var(--_shadow);
    padding: 12px;
    overflow: auto;
  }
`;

/** The native <dialog> look every Dossier modal shares; each dialog sets only its own width. */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_text);
    box-shadow: var(--_shadow);
    padding: 20px;
    width: var(--_dialog-width, min(420px, 92vw));
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
`;
