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
      container-type: inline-size;
      min-width: 0;
    }
    .root {
      min-height: 160px;
    }
    p,
    h3,
    h4,
    dl,
    dd,
    ol {
      margin: 0;
    }
    .muted {
      color: var(--_muted);
    }
    .heading {
      font-size: 1em;
      font-weight: 600;
    }
    .attribution {
      display: grid;
      gap: 10px;
      padding: 12px;
      border-bottom: 1px solid var(--_border);
    }
    .touch-cards {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(220px, 100%), 1fr));
      gap: 10px;
    }
    .touch-card {
      min-width: 0;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      padding: 10px 12px;
    }
    .touch-card h4 {
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_muted);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    .touch-card .channel {
      overflow-wrap: anywhere;
      font-weight: 600;
      font-size: 1.05em;
      margin: 2px 0 6px;
    }
    .kv {
      display: grid;
      grid-template-columns: minmax(90px, auto) minmax(0, 1fr);
      gap: 8px;
      font-size: 0.92em;
    }
    dt {
      color: var(--_muted);
    }
    dd {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .link-btn {
      justify-self: start;
      border: 0;
      background: none;
      padding: 4px 0;
      color: var(--_accent);
      text-decoration: underline;
      text-underline-offset: 2px;
    }
    .touches {
      display: grid;
      gap: 8px;
      border-top: 1px dashed var(--_border);
      padding-top: 10px;
    }
    .touch-list {
      list-style: none;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .touch-list li {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 10px;
      align-items: baseline;
      padding: 6px 0;
      border-bottom: 1px solid var(--_border);
      min-width: 0;
    }
    .touch-list span {
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .touch-list time {
      color: var(--_muted);
      font-size: 0.9em;
    }
    .touch-list .page {
      min-width: 0;
      max-width: 100%;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      padding: 10px 12px;
      border-bottom: 1px solid var(--_border);
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      border: 1px solid var(--_border);
      background: var(--_bg);
      border-radius: 999px;
      padding: 3px 10px;
      min-height: 30px;
      font-size: 0.92em;
    }
    .chip[aria-pressed='true'] {
      background: var(--_accent-soft);
      border-color: var(--_accent);
      font-weight: 600;
    }
    .chip-icon {
      display: inline-grid;
    }
    .timeline {
      max-height: var(--contact-activity-max-height, none);
      overflow: auto;
      padding: 4px 12px 12px;
    }
    .day-heading {
      position: sticky;
      top: 0;
      z-index: 1;
      background: var(--_bg);
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_muted);
      padding: 10px 0 6px;
    }
    .items {
      list-style: none;
      padding: 0;
      display: grid;
    }
    .item {
      display: grid;
      grid-template-columns: 32px minmax(0, 1fr) auto;
      gap: 10px;
      align-items: start;
      padding: 8px 0;
      border-top: 1px solid var(--_border);
      min-width: 0;
    }
    .item.fresh {
      animation: arrive 2.5s ease-out;
    }
    @keyframes arrive {
      from {
        background: var(--_accent-soft);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .item.fresh {
        animation: none;
        background: var(--_accent-soft);
      }
    }
    .icon {
      display: inline-grid;
      place-items: center;
      width: 32px;
      height: 32px;
      border-radius: 50%;
      background: var(--_surface);
      border: 1px solid var(--_border);
      color: var(--_accent);
    }
    .g-visit,
    .g-share_view {
      color: #0c8599;
    }
    .g-call,
    .g-form {
      color: #2b8a3e;
    }
    .g-purchase {
      color: #e8590c;
    }
    .g-field_change,
    .g-merge,
    .g-document {
      color: var(--_muted);
    }
    :host([data-theme='dark']) .g-visit,
    :host([data-theme='dark']) .g-share_view {
      color: #66d9e8;
    }
    :host([data-theme='dark']) .g-call,
    :host([data-theme='dark']) .g-form {
      color: #8ce99a;
    }
    :host([data-theme='dark']) .g-purchase {
      color: #ffa94d;
    }
    .body {
      min-width: 0;
      display: grid;
      gap: 2px;
    }
    .sentence {
      overflow-wrap: anywhere;
    }
    .fact {
      color: var(--_muted);
      font-size: 0.92em;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-line-clamp: 3;
      -webkit-box-orient: vertical;
      overflow: hidden;
    }
    .link {
      color: var(--_accent);
      justify-self: start;
    }
    .item time {
      color: var(--_muted);
      font-size: 0.88em;
      white-space: nowrap;
      padding-top: 6px;
    }
    .more-row {
      display: grid;
      justify-items: center;
      gap: 6px;
      padding: 12px 0 4px;
    }
    .sentinel {
      height: 1px;
      width: 100%;
    }
    .end {
      text-align: center;
      padding: 12px 0 4px;
      font-size: 0.9em;
    }
    .inline-error {
      color: var(--_danger);
    }
    /* Narrow hosts: the chips stay on one line that scrolls sideways (a tabbed-to chip scrolls into view). */
    @container (max-width: 560px) {
      .filters {
        flex-wrap: nowrap;
        overflow-x: auto;
        scrollbar-width: thin;
      }
      .chip {
        flex: none;
      }
    }
    @container (max-width: 420px) {
      .item {
        grid-template-columns: 28px minmax(0, 1fr);
      }
      .icon {
        width: 28px;
        height: 28px;
      }
      .item time {
        grid-column: 2;
        padding-top: 0;
      }
      .kv {
        grid-template-columns: minmax(84px, auto) minmax(0, 1fr);
      }
    }
    @container (max-width: 300px) {
      .kv {
        grid-template-columns: minmax(0, 1fr);
        gap: 0;
      }
    }
  `,
];
