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
    .more,
    .field-error {
      margin: 12px;
    }
    .toolbar,
    .meta,
    .actions,
    .switch {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .switch {
      gap: 0;
    }
    .meta {
      row-gap: 0;
    }
    .switch button {
      border-radius: 0;
    }
    .switch button:first-child {
      border-start-start-radius: var(--_radius-sm);
      border-end-start-radius: var(--_radius-sm);
    }
    .switch button:last-child {
      border-start-end-radius: var(--_radius-sm);
      border-end-end-radius: var(--_radius-sm);
      margin-inline-start: -1px;
    }
    .switch button[aria-pressed='true'] {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_accent-text);
    }
    .toolbar input[type='search'] {
      flex: 1 1 140px;
      min-width: 0;
    }
    .add {
      margin-inline-start: auto;
    }
    .list {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    .appt {
      border: 1px solid var(--_border);
      border-inline-start: 4px solid var(--_accent);
      border-radius: var(--_radius-sm);
      padding: 10px 12px;
      min-width: 0;
    }
    .appt.unconfirmed {
      border-inline-start-color: var(--_warning, #d97706);
    }
    .appt.cancelled {
      border-inline-start-color: var(--_border);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 10px;
      align-items: baseline;
    }
    .title {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .cancelled .title {
      text-decoration: line-through;
      color: var(--_muted);
    }
    .when {
      font-variant-numeric: tabular-nums;
    }
    .description {
      margin: 4px 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .meta,
    .empty,
    .readonly {
      color: var(--_muted);
      font-size: 0.92em;
    }
    .meta span {
      overflow-wrap: anywhere;
    }
    .badge {
      font-size: 0.85em;
      padding: 1px 8px;
      border-radius: 999px;
      font-weight: 600;
      background: var(--_surface);
      border: 1px solid var(--_border);
    }
    .badge.confirmed {
      background: var(--_accent-soft, var(--_surface));
    }
    .badge.unconfirmed {
      background: var(--_warning-soft);
    }
    .badge.cancelled {
      background: var(--_danger-soft);
      color: var(--_danger);
    }
    .actions {
      margin-top: 6px;
    }
    .link {
      border: 0;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 2px 4px;
      min-height: 24px;
      font: inherit;
      cursor: pointer;
    }
    .link.danger {
      color: var(--_danger);
    }
    .field-error {
      color: var(--_danger);
    }
  `,
];
