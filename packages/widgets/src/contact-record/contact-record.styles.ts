import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      overflow: hidden;
      container-type: inline-size;
    }
    /* A grid, so "Delete contact" keeps its place whatever the position text says: one row when there is room,
       else the name beside the avatar and the list arrows and Delete under it. */
    header {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr) auto auto;
      grid-template-areas: 'avatar title nav actions';
      align-items: center;
      gap: 8px 12px;
      padding: 16px;
      background: var(--contact-record-header-bg, var(--_surface));
      border-bottom: 1px solid var(--_border);
    }
    header > :first-child {
      --dossier-avatar-size: 48px;
      grid-area: avatar;
    }
    .title {
      grid-area: title;
      min-width: 0;
    }
    header > .btn.danger {
      grid-area: actions;
      justify-self: end;
    }
    .title .sub {
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .sub,
    .muted,
    .position {
      color: var(--_muted);
      font-size: 0.92em;
    }
    .nav {
      grid-area: nav;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 2px;
      min-width: 0;
    }
    .nav .icon-btn {
      font-size: 1.4em;
    }
    .nav-error {
      color: var(--_danger);
      font-size: 0.92em;
      margin-inline-end: 6px;
    }
    .banner {
      display: flex;
      align-items: center;
      gap: 12px;
      flex-wrap: wrap;
      padding: 10px 16px;
      background: var(--_warning-soft);
      border-bottom: 1px solid var(--_border);
    }
    .banner.error {
      background: var(--_danger-soft);
      color: var(--_danger);
    }
    .meta {
      display: grid;
      gap: 8px;
      padding: 12px 16px;
      border-bottom: 1px solid var(--_border);
    }
    /* Labels in one column, values in the other: the Owner and Followers selects line up. */
    .meta-row {
      display: grid;
      grid-template-columns: 84px minmax(0, 1fr);
      align-items: center;
      gap: 6px 8px;
    }
    .meta-row > label,
    .meta-row > .label {
      grid-column: 1;
      color: var(--_muted);
      font-size: 0.92em;
    }
    .meta-row > :not(label, .label) {
      grid-column: 2;
    }
    .meta-row > select {
      justify-self: start;
      width: min(100%, 14em);
    }
    .followers:not(:has(li)) {
      display: none;
    }
    .followers {
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
      gap: 6px;
      padding: 2px 4px 2px 2px;
      border: 1px solid var(--_border);
      border-radius: 999px;
    }
    .chip dossier-avatar {
      --dossier-avatar-size: 20px;
    }
    .chip button {
      border: 0;
      background: none;
      width: 20px;
      height: 20px;
      border-radius: 50%;
      padding: 0;
    }
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
    .field-error .link,
    .link {
      border: 0;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 0 4px;
    }
    .save-state {
      min-height: 0;
      padding: 0 16px 8px;
      color: var(--_muted);
      font-size: 0.85em;
    }
    @container (max-width: 519px) {
      header {
        grid-template-columns: auto minmax(0, 1fr) auto;
        grid-template-areas: 'avatar title title' 'nav nav actions';
      }
      /* A long position text wraps under the arrows; Delete stays at the top of its row. */
      header > .btn.danger {
        align-self: start;
      }
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
  `,
];
