import { css } from 'lit';

// The tab strips, panels and tab contents' styles: they come with the lazy panels chunk (adopted into the record's
// shadow root when it first draws its panels), so the script-tag bundle carries only the header's.
export const panelStyles = css`
    /* The scroll buttons lie over the ends of the tab list, so showing one never resizes or shifts it. */
    .tabbar {
      position: relative;
      border-bottom: 1px solid var(--_border);
    }
    [role='tablist'] {
      display: flex;
      gap: 2px;
      padding: 0 12px;
      overflow-x: auto;
      scrollbar-width: none;
    }
    /* Shown only when tabs are out of sight on that side. */
    .tab-scroll {
      position: absolute;
      inset-block: 0;
      width: 32px;
      border: 0;
      padding: 0;
      background: var(--_bg);
      color: var(--_text);
      font-size: 1.3em;
      box-shadow: 0 0 12px 4px var(--_bg);
      z-index: 1;
    }
    .tab-scroll[data-dir='start'] {
      inset-inline-start: 0;
    }
    .tab-scroll[data-dir='end'] {
      inset-inline-end: 0;
    }
    .tab-scroll[hidden] {
      display: none;
    }
    .tab-scroll:hover {
      background: var(--_surface);
    }
    [role='tab'] {
      border: 0;
      background: none;
      padding: 10px 12px;
      border-bottom: 2px solid transparent;
      color: var(--_muted);
      white-space: nowrap;
    }
    [role='tab'][aria-selected='true'] {
      color: var(--_accent);
      border-bottom-color: var(--_accent);
      font-weight: 600;
    }
    [role='tabpanel'] {
      padding: 16px;
      min-height: 160px;
    }
    /* Wide: the contact's tabs beside the right panel (Notes, Documents…); a tab element brings its own padding. */
    .two {
      display: grid;
      grid-template-columns: 1fr 1fr;
    }
    .two > * + * {
      border-inline-start: 1px solid var(--_border);
    }
    .panel-col {
      min-width: 0;
    }
    .embedded {
      padding: 0;
    }
    .actions {
      border-top: 1px solid var(--_border);
      padding: 8px 16px 16px;
    }
    .actions h3 {
      font-size: 1em;
      margin: 8px 0;
    }
    .actions summary {
      cursor: pointer;
      font-weight: 600;
      padding: 6px 0;
    }
    .due {
      border: 0;
      border-radius: 999px;
      padding: 1px 8px;
      font-size: 0.85em;
      background: var(--_warning-soft);
    }
    .due.overdue {
      background: var(--_danger-soft);
      color: var(--_danger);
    }
    .grid {
      display: grid;
      gap: 12px;
    }
    .grid.two {
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
    }
    .field {
      display: grid;
      gap: 4px;
      align-content: start;
      min-width: 0;
    }
    fieldset {
      border: 0;
      margin: 16px 0 0;
      padding: 0;
      min-width: 0;
    }
    legend {
      font-weight: 600;
      margin-bottom: 8px;
      padding: 0;
    }
    /* Every row shares one set of columns (subgrid): primary or not, the values are as wide and line up.
       Wide: ( ) value · label · Primary · ×. Narrow: ( ) value · × over label · Primary. */
    .rows ul {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
      display: grid;
      grid-template-columns: auto minmax(0, 1fr) 110px auto auto;
      gap: 8px 6px;
    }
    .row {
      grid-column: 1 / -1;
      display: grid;
      grid-template-columns: subgrid;
      align-items: center;
      row-gap: 4px;
    }
    .row > .value {
      grid-column: 2;
    }
    .row > .label-input,
    .row > select {
      grid-column: 3;
      width: 100%;
    }
    .row > .badge {
      grid-column: 4;
    }
    .row > .icon-btn {
      grid-column: 5;
    }
    .row-error {
      grid-column: 1 / -1;
    }
    .badge {
      font-size: 0.8em;
      padding: 1px 8px;
      border-radius: 999px;
      background: var(--_accent-soft);
      color: var(--_accent);
    }
    .check {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      color: var(--_text);
      margin-inline-end: 12px;
    }
    .options {
      margin: 0;
    }
    .switches {
      display: grid;
      gap: 10px;
      max-width: 360px;
    }
    .switch {
      display: flex;
      justify-content: space-between;
      align-items: center;
      color: var(--_text);
      font-size: 1em;
    }
    .switch.all {
      font-weight: 600;
      border-bottom: 1px solid var(--_border);
      padding-bottom: 8px;
    }
    .switch input {
      appearance: none;
      width: 36px;
      height: 20px;
      min-height: 0;
      padding: 0;
      border-radius: 999px;
      background: var(--_border);
      position: relative;
      cursor: pointer;
      order: 2;
    }
    .switch input::after {
      content: '';
      position: absolute;
      top: 2px;
      inset-inline-start: 2px;
      width: 14px;
      height: 14px;
      border-radius: 50%;
      background: #fff;
      transition: inset-inline-start 0.15s;
    }
    .switch input:checked {
      background: var(--_accent);
    }
    .switch input:checked::after {
      inset-inline-start: 18px;
    }
    .facts {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      margin: 16px 0 0;
    }
    .facts dt {
      color: var(--_muted);
    }
    .facts dd {
      margin: 0;
    }
    .handles {
      margin-top: 16px;
    }
    .handles h3 {
      font-size: inherit;
      font-weight: 600;
      margin: 0 0 8px;
    }
    .channel {
      text-transform: capitalize;
    }
    @container (max-width: 519px) {
      .rows ul {
        grid-template-columns: auto 110px minmax(0, 1fr) auto;
      }
      .row > input[type='radio'],
      .row > .value,
      .row > .icon-btn {
        grid-row: 1;
      }
      .row > .value {
        grid-column: 2 / 4;
      }
      .row > .icon-btn {
        grid-column: 4;
      }
      .row > .label-input,
      .row > select {
        grid-row: 2;
        grid-column: 2;
      }
      .row > .badge {
        grid-row: 2;
        grid-column: 3;
        justify-self: start;
      }
    }
`;
