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
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      container-type: inline-size;
      --_thumb: var(--contact-documents-thumb-size, 40px);
    }
    .root {
      position: relative;
      min-height: 160px;
    }
    .toolbar {
      display: grid;
      gap: 8px;
      padding: 12px;
      border-bottom: 1px solid var(--_border);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .row label {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .search {
      flex: 1 1 160px;
    }
    [role='tablist'] {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      flex: 1;
    }
    [role='tab'] {
      border: 1px solid var(--_border);
      background: var(--_bg);
      border-radius: 999px;
      padding: 4px 12px;
      min-height: 32px;
    }
    [role='tab'][aria-selected='true'] {
      background: var(--_accent-soft);
      border-color: var(--_accent);
      color: var(--_text);
      font-weight: 600;
    }
    .count {
      color: var(--_muted);
      font-size: 0.88em;
      font-weight: 400;
    }
    .banner {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
      padding: 8px 12px;
      background: var(--_surface);
      border-bottom: 1px solid var(--_border);
    }
    .banner.error {
      background: var(--_danger-soft);
      color: var(--_danger);
    }
    .banner.undo {
      background: var(--_warning-soft);
    }
    [role='tabpanel'] {
      max-height: var(--contact-documents-max-height, none);
      overflow: auto;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    h3 {
      margin: 0;
      padding: 10px 12px 4px;
      font-size: 0.85em;
      text-transform: uppercase;
      letter-spacing: 0.03em;
      color: var(--_muted);
    }
    .doc {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 8px 12px;
      border-bottom: 1px solid var(--_border);
    }
    .doc:last-child {
      border-bottom: 0;
    }
    .icon {
      flex: none;
      display: grid;
      place-items: center;
      width: var(--_thumb);
      height: var(--_thumb);
      border-radius: var(--_radius-sm);
      overflow: hidden;
      font-size: 10px;
      font-weight: 700;
      color: #fff;
      background: hsl(var(--h) 60% 32%);
    }
    .icon img {
      width: 100%;
      height: 100%;
      object-fit: cover;
      background: var(--_surface);
    }
    .main {
      flex: 1;
      min-width: 0;
    }
    .name {
      display: block;
      max-width: 100%;
      border: 0;
      background: none;
      padding: 0;
      text-align: start;
      font-weight: 600;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .name:hover {
      text-decoration: underline;
    }
    .rename {
      width: 100%;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0 10px;
      color: var(--_muted);
      font-size: 0.88em;
    }
    .portal {
      padding: 0 6px;
      border-radius: 999px;
      background: var(--_accent-soft);
      color: var(--_text);
    }
    .more-row {
      display: flex;
      justify-content: center;
      padding: 12px;
    }
    .drop-overlay {
      position: absolute;
      inset: 0;
      z-index: 4;
      display: grid;
      place-items: center;
      background: color-mix(in srgb, var(--_accent-soft) 88%, transparent);
      border: 2px dashed var(--_accent);
      border-radius: var(--_radius);
      font-weight: 600;
      pointer-events: none;
    }
    @container (max-width: 420px) {
      .meta .who {
        display: none;
      }
      .row label {
        flex-wrap: wrap;
      }
    }
  `,
];
