import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      background: var(--_bg);
    }
    .toolbar,
    .list,
    .empty,
    .readonly,
    .finder,
    .field-error {
      margin: 12px;
    }
    .toolbar,
    .meta,
    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .meta {
      row-gap: 2px;
      color: var(--_muted);
      font-size: 0.9em;
    }
    /* The lost reason: the meta items wrap, so it is set apart by its quotes, not a leading "·". */
    .reason {
      font-style: italic;
    }
    .list,
    .found {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    .card {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 4px 10px;
      padding: 10px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      background: var(--_surface);
      min-width: 0;
    }
    .card > .body {
      min-width: 0;
      display: grid;
      gap: 4px;
    }
    /* Won / lost / abandoned: a plainer card (not faded: faded text fails contrast). */
    .card.closed {
      background: var(--_bg);
    }
    dossier-avatar {
      --dossier-avatar-size: 32px;
      width: 32px;
      height: 32px;
    }
    .top {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 10px;
      justify-content: space-between;
    }
    .name {
      border: 0;
      background: none;
      padding: 0;
      color: var(--_accent);
      font: inherit;
      font-weight: 600;
      text-align: start;
      cursor: pointer;
      overflow-wrap: anywhere;
    }
    .name:hover {
      text-decoration: underline;
    }
    .value {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
      white-space: nowrap;
    }
    .path {
      overflow-wrap: anywhere;
    }
    .badge {
      display: inline-block;
      padding: 0 8px;
      border-radius: 999px;
      font-size: 0.85em;
      border: 1px solid var(--_border);
      color: var(--_text);
    }
    .badge.won {
      color: var(--_success);
      border-color: var(--_success);
    }
    .badge.lost,
    .badge.abandoned {
      background: var(--_danger-soft);
      color: var(--_danger);
      border-color: transparent;
    }
    .controls select {
      min-width: 0;
      max-width: 100%;
    }
    .controls .unlink {
      margin-inline-start: auto;
    }
    .lost-form {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: end;
    }
    .lost-form label {
      display: grid;
      gap: 4px;
      flex: 1 1 180px;
    }
    .finder {
      display: grid;
      gap: 6px;
    }
    .found {
      margin: 0;
      gap: 4px;
    }
    .found li {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 4px 8px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
    }
    .found .what {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .muted {
      color: var(--_muted);
    }
    .empty {
      color: var(--_muted);
    }
    .field-error {
      color: var(--_danger);
      font-size: 0.92em;
    }
    .card .field-error {
      margin: 0;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
];
