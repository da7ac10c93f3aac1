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
    .composer,
    .toolbar,
    .list,
    .empty,
    .readonly,
    .more {
      margin: 12px;
    }
    .composer {
      display: grid;
      gap: 6px;
    }
    textarea {
      width: 100%;
      resize: vertical;
      line-height: 1.45;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--_danger);
    }
    .composer-actions,
    .toolbar,
    .actions,
    .meta {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .composer-actions .btn {
      margin-inline-start: auto;
    }
    .hint,
    time,
    .edited,
    .empty,
    .readonly {
      color: var(--_muted);
      font-size: 0.92em;
    }
    .toolbar input[type='search'] {
      flex: 1 1 160px;
    }
    .toolbar label {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .list {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 8px;
      max-height: var(--contact-notes-max-height, none);
      overflow: auto;
    }
    .note {
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 10px 12px;
      background: var(--_bg);
      min-width: 0;
    }
    .note.pinned {
      background: var(--_surface);
      border-color: var(--_accent);
    }
    .author {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      max-width: 100%;
    }
    .badge {
      font-size: 0.8em;
      padding: 1px 8px;
      border-radius: 999px;
      background: var(--_accent-soft);
      color: var(--_text);
    }
    .body {
      margin: 6px 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .body a {
      color: var(--_accent);
    }
    .editor {
      display: grid;
      gap: 6px;
      margin: 6px 0;
    }
    .editor .actions {
      justify-content: flex-end;
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
