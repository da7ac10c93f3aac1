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
    .toolbar + .form {
      margin: 12px;
    }
    .toolbar,
    .meta,
    .actions,
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .toolbar label,
    .field {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .toolbar input[type='search'] {
      flex: 1 1 140px;
    }
    .add {
      margin-inline-start: auto;
    }
    .form {
      display: grid;
      gap: 4px;
      padding: 12px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      background: var(--_surface);
    }
    .form .field {
      flex-direction: column;
      align-items: stretch;
      flex: 1 1 180px;
    }
    .form .actions {
      justify-content: flex-end;
      margin-top: 6px;
    }
    textarea {
      resize: vertical;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--_danger);
    }
    .list {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 8px;
    }
    .task {
      display: flex;
      gap: 10px;
      align-items: flex-start;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 10px 12px;
      min-width: 0;
    }
    .task:has(> .form) {
      display: block;
      padding: 0;
      border: 0;
    }
    .done {
      margin-top: 3px;
      width: 18px;
      height: 18px;
    }
    .main {
      flex: 1;
      min-width: 0;
    }
    .title {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .completed .title {
      text-decoration: line-through;
      color: var(--_muted);
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
    .badge {
      font-size: 0.85em;
      padding: 1px 8px;
      border-radius: 999px;
      font-weight: 600;
    }
    .badge.overdue {
      background: var(--_danger-soft);
      color: var(--_danger);
    }
    .badge.today {
      background: var(--_warning-soft);
      color: var(--_text);
    }
    .link {
      border: 0;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 2px 4px;
      min-height: 24px;
    }
    .link.danger {
      color: var(--_danger);
    }
  `,
];
