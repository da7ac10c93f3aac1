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
      /* dir=auto: a Latin name in a right-to-left UI ends in "…" at its own end, still placed at the UI's start. */
      text-align: match-parent;
      /* Chromium computes match-parent as start; its prefixed keyword does it. */
      text-align: -webkit-match-parent;
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
    }
  `,
];
