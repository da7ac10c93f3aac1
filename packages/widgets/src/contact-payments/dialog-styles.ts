import { css } from 'lit';
import { controls, dialogStyles, tokens } from '../../../core/src/theme.js';

export const paymentDialogStyles = [
  tokens,
  controls,
  dialogStyles,
  css`
    dialog { --_dialog-width: min(480px, 96vw); }
    h2 { margin: 0 0 12px; font-size: 1.125rem; }
    .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 12px; }
    .wide { grid-column: 1 / -1; }
    label { display: grid; gap: 4px; font-size: 0.875rem; }
    .error { color: var(--_danger); margin: 4px 0 0; font-size: 0.8125rem; }
    .decline { padding: 8px 10px; border: 1px solid var(--_danger); border-radius: var(--_radius-sm); color: var(--_danger); margin: 8px 0 0; }
    .actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
    dossier-card-entry { display: block; margin-top: 8px; }
    @media (max-width: 420px) { .grid { grid-template-columns: 1fr; } }
  `,
];
