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
    }
    .toolbar {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 12px;
    }
    .toolbar h2 {
      margin: 0;
      font-size: 1rem;
      flex: 1;
    }
    .readonly {
      margin: 12px;
    }
    section {
      margin: 12px;
    }
    section > h3 {
      font-size: 0.875rem;
      margin: 0 0 8px;
      color: var(--_muted);
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
  `,
];
