import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';
import { menuStyles } from '../../../core/src/ui/menu.js';

export const styles = [
  tokens,
  controls,
  menuStyles,
  css`
    :host {
      display: block;
      height: var(--contact-table-height, 600px);
      min-height: 240px;
      background: var(--_bg);
    }
    /* The host's height when it has one; never taller than the window when it has none (an inline display, height:
       auto, all: unset), so the grid keeps a bounded height and only the rows in view are drawn. */
    .frame {
      display: flex;
      flex-direction: column;
      gap: 8px;
      position: relative;
      height: 100%;
      max-height: max(100vh, var(--contact-table-height, 0px));
    }
    .toolbar,
    .job-line {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .spacer {
      flex: 1;
    }
    .search {
      flex: 1 1 200px;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      background: var(--_accent-soft);
      border-radius: 999px;
      padding: 2px 4px 2px 10px;
      font-size: 0.9em;
    }
    .chip.invalid {
      box-shadow: inset 0 0 0 2px var(--_danger);
    }
    .chip .x {
      border: 0;
      background: transparent;
      width: 24px;
      height: 24px;
      border-radius: 50%;
    }
    .link {
      border: 0;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 4px;
    }
    /* The count line, with the bulk bar over it while rows are selected: one fixed-height line either way. */
    .bar {
      position: relative;
      flex: none;
      height: 36px;
      display: flex;
      align-items: center;
    }
    .bar.selecting .status {
      opacity: 0;
    }
    .bulk {
      position: absolute;
      inset: 0;
      display: flex;
      align-items: center;
      gap: 6px;
      white-space: nowrap;
      overflow-x: auto;
      overflow-y: hidden;
      background: var(--_accent-soft);
      border-radius: var(--_radius-sm);
      padding: 0 8px;
    }
    .bulk .btn {
      min-height: 28px;
      padding: 2px 10px;
      flex: none;
    }
    .bulk strong,
    .bulk .notice {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .bulk .notice {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .job {
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 6px 10px;
    }
    .job.has-errors {
      border-color: var(--_danger);
    }
    .job-errors {
      margin: 4px 0 0;
      max-height: 120px;
      overflow: auto;
      color: var(--_danger);
      font-size: 0.9em;
    }
    .status {
      color: var(--_muted);
      font-size: 0.9em;
      min-height: 1.4em;
    }
    .grid {
      flex: 1;
      min-height: 0;
      overflow: auto;
      overflow-anchor: none;
      position: relative;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      overscroll-behavior: contain;
    }
    .head {
      position: sticky;
      top: 0;
      z-index: 2;
      width: var(--width);
      min-width: 100%;
    }
    .row {
      display: grid;
      grid-template-columns: var(--cols);
      width: var(--width);
      min-width: 100%;
      height: 44px;
      align-items: stretch;
      border-bottom: 1px solid var(--_border);
      background: var(--_bg);
    }
    .body .row {
      position: absolute;
      top: 0;
      inset-inline-start: 0;
      cursor: pointer;
    }
    .body .row:hover {
      background: var(--_surface);
    }
    .row[aria-selected='true'] {
      background: var(--contact-table-row-selected, var(--_accent-soft));
    }
    /* The contact open in the record (active-id): a bar at the start of the row and a tint, over any selection colour. */
    .body .row.active {
      box-shadow: inset 4px 0 0 var(--contact-table-row-active, var(--_accent));
    }
    .body .row.active:dir(rtl) {
      box-shadow: inset -4px 0 0 var(--contact-table-row-active, var(--_accent));
      background-image: linear-gradient(color-mix(in srgb, var(--contact-table-row-active, var(--_accent)) 10%, transparent) 0 0);
    }
    .row.header {
      height: 40px;
      background: var(--_surface);
      font-weight: 600;
    }
    .body {
      position: relative;
      width: var(--width);
      min-width: 100%;
    }
    .cell {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 0 6px;
      min-width: 0;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
      position: relative;
    }
    /* The row menu sits in the last track, after the empty one that takes the table's spare width. */
    .cell.actions {
      grid-column: -2 / -1;
      justify-content: center;
    }
    .cell:focus-visible {
      outline-offset: -2px;
    }
    .col-tags {
      gap: 4px;
    }
    .col-name {
      font-weight: 500;
    }
    .name,
    .text,
    .cell > .muted,
    .cell > span[title] {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    dossier-avatar {
      --dossier-avatar-size: 28px;
    }
    .tag {
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: 999px;
      padding: 0 8px;
      font-size: 0.85em;
      /* Whole chips only (tag-fit.ts counts how many fit); a first chip too wide for the column ends in "…". */
      flex: none;
    }
    .tag.clip {
      flex: 0 1 auto;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .more {
      flex: none;
      color: var(--_muted);
      padding: 0 6px;
    }
    .muted,
    .placeholder {
      color: var(--_muted);
    }
    .row-error {
      color: var(--_danger);
    }
    /* A sortable column's whole header cell sorts (the resize handle, drawn over it, excepted). */
    .sort {
      position: absolute;
      inset: 0;
      border: 0;
      background: none;
      font-weight: 600;
      padding: 0 14px 0 6px;
      display: flex;
      align-items: center;
      gap: 4px;
      min-width: 0;
      cursor: pointer;
    }
    .row.header .cell {
      cursor: default;
    }
    .sort-label,
    .label {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    /* "Sortable" shows on hover and focus; only the sorted column keeps its arrow (room for the label). */
    .arrow.idle {
      display: none;
    }
    .sort:hover .arrow.idle,
    [role='columnheader']:focus-visible .arrow.idle {
      display: inline;
    }
    .arrow {
      color: var(--_muted);
      font-size: 0.8em;
    }
    .resizer {
      position: absolute;
      inset-inline-end: 0;
      top: 6px;
      bottom: 6px;
      width: 8px;
      cursor: col-resize;
      border-inline-end: 2px solid var(--_border);
      touch-action: none;
    }
    .resizer:hover,
    .resizer:focus-visible {
      border-color: var(--_accent);
    }
    @media (max-width: 600px) {
      .toolbar .btn {
        padding: 4px 8px;
      }
    }
  `,
];
