import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      color: var(--_text);
      --_card: var(--share-viewer-card-bg, var(--_bg));
    }
    .card {
      background: var(--_card);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: 24px;
      max-width: 440px;
      margin: 0 auto;
      box-shadow: var(--_shadow);
      /* "We sent a code to <a long address>" wraps on a phone instead of running out of the card. */
      overflow-wrap: anywhere;
    }
    h1 {
      font-size: 1.25em;
      margin: 0 0 8px;
    }
    p {
      margin: 0 0 12px;
      color: var(--_muted);
    }
    form {
      display: grid;
      gap: 10px;
    }
    .field {
      display: grid;
      gap: 4px;
    }
    .row {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
      align-items: center;
    }
    .row > input {
      flex: 1;
    }
    fieldset {
      border: 0;
      padding: 0;
      margin: 0;
      display: flex;
      gap: 12px;
    }
    legend {
      color: var(--_muted);
      font-size: 0.92em;
      margin-bottom: 4px;
    }
    .code {
      font-size: 1.6em;
      letter-spacing: 0.35em;
      text-align: center;
      font-variant-numeric: tabular-nums;
    }
    .alert {
      color: var(--_danger);
      background: var(--_danger-soft);
      border-radius: var(--_radius-sm);
      padding: 8px 10px;
      margin: 0;
    }
    .ok {
      color: var(--_text);
      margin: 0;
    }
    .ok::before {
      content: '✓ ';
      color: var(--_success);
    }
    .link {
      background: none;
      border: 0;
      padding: 0;
      color: var(--_accent);
      text-decoration: underline;
      cursor: pointer;
      justify-self: start;
    }
    .link[disabled] {
      color: var(--_muted);
      text-decoration: none;
      cursor: default;
    }
    .btn.primary {
      justify-content: center;
      min-height: 38px;
    }
  `,
];
