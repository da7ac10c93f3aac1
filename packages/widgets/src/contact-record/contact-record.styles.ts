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
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 12px;
      padding: 16px;
      background: var(--contact-record-header-bg, var(--_surface));
      border-bottom: 1px solid var(--_border);
    }
    dossier-avatar {
      --dossier-avatar-size: 48px;
    }
    /* The name keeps at least 10em beside the avatar; past that, the list arrows and Delete wrap under it. */
    .title {
      flex: 1 1 10em;
      min-width: 0;
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
      display: flex;
      align-items: center;
      gap: 2px;
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
    .meta-row {
      display: flex;
      align-items: center;
      gap: 8px;
      flex-wrap: wrap;
    }
    .meta-row > label,
    .meta-row > .label {
      width: 84px;
      flex: none;
      color: var(--_muted);
      font-size: 0.92em;
    }
    .meta-row dossier-tag-input {
      flex: 1;
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
    .chip button {
      border: 0;
      background: none;
      width: 20px;
      height: 20px;
      border-radius: 50%;
      padding: 0;
    }
    [role='tablist'] {
      display: flex;
      gap: 2px;
      padding: 0 12px;
      border-bottom: 1px solid var(--_border);
      overflow-x: auto;
      scrollbar-width: thin;
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
    .rows ul {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
      display: grid;
      gap: 6px;
    }
    .row {
      display: flex;
      align-items: center;
      gap: 6px;
      flex-wrap: wrap;
    }
    /* The address gives up width before the label, badge and remove button wrap under it (a ~430 px panel). */
    .row .value {
      flex: 1 1 140px;
    }
    .row .label-input {
      width: 110px;
    }
    .row-error {
      flex-basis: 100%;
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
      margin-right: 12px;
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
      left: 2px;
      width: 14px;
      height: 14px;
      border-radius: 50%;
      background: #fff;
      transition: transform 0.15s;
    }
    .switch input:checked {
      background: var(--_accent);
    }
    .switch input:checked::after {
      transform: translateX(16px);
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
    @container (max-width: 420px) {
      header {
        flex-wrap: wrap;
      }
      .meta-row > label,
      .meta-row > .label {
        width: 100%;
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
