import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';

export const sectionStyles = [
  tokens,
  controls,
  css`
    :host { display: block; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
    li { border: 1px solid var(--_border); border-radius: var(--_radius-sm); padding: 8px 10px; display: grid; gap: 4px; }
    .head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
    .name { font-weight: 600; }
    .amount { margin-inline-start: auto; font-variant-numeric: tabular-nums; font-weight: 600; }
    .amount.negative { color: var(--_muted); }
    .meta { color: var(--_muted); font-size: 0.8125rem; display: flex; flex-wrap: wrap; gap: 4px 12px; }
    /* What the entry was for, on its own line: the meta items wrap at 390 px, so no item may lead with a "·". */
    .desc { overflow-wrap: anywhere; }
    .badge { font-size: 0.75rem; border: 1px solid var(--_border); border-radius: 999px; padding: 0 6px; }
    .badge.failed { color: var(--_danger); border-color: var(--_danger); }
    .actions { display: flex; flex-wrap: wrap; gap: 8px; }
    .link { border: 0; background: none; padding: 0; color: var(--_accent); cursor: pointer; text-decoration: underline; }
    .link.danger { color: var(--_danger); }
    .empty { color: var(--_muted); margin: 0; }
    .error { color: var(--_danger); margin: 0; font-size: 0.8125rem; }
    form.refund { display: flex; flex-wrap: wrap; align-items: end; gap: 8px; }
    form.refund label { display: grid; gap: 2px; font-size: 0.8125rem; }
    form.refund input { width: 9rem; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `,
];
