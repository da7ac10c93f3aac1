import { css } from 'lit';
import { controls, tokens } from '../../../core/src/theme.js';

export const styles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      position: relative;
      background: var(--_bg);
      container-type: inline-size;
    }
    .empty,
    .start {
      color: var(--_muted);
      margin: 12px;
      text-align: center;
    }
    .panes {
      display: grid;
      grid-template-columns: minmax(200px, 34%) 1fr;
      height: var(--contact-conversations-height, 560px);
      min-height: 0;
    }
    .threads {
      overflow-y: auto;
      border-inline-end: 1px solid var(--_border);
      padding: 4px;
    }
    .thread {
      display: flex;
      gap: 8px;
      padding: 8px;
      border-radius: var(--_radius-sm);
      cursor: pointer;
      align-items: flex-start;
    }
    .thread:hover {
      background: var(--_surface);
    }
    .thread[aria-selected='true'] {
      background: var(--_accent-soft);
    }
    .thread:focus-visible {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }
    .channel {
      display: inline-grid;
      place-items: center;
      color: var(--_accent);
      flex: none;
    }
    .thread-main {
      display: grid;
      gap: 2px;
      min-width: 0;
      flex: 1;
    }
    .thread-top {
      display: flex;
      gap: 6px;
      justify-content: space-between;
      align-items: baseline;
    }
    .thread-top strong,
    .thread-preview {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .thread.awaiting .thread-top strong::after {
      content: ' •';
      color: var(--_accent);
    }
    .thread-preview {
      color: var(--_text);
    }
    time,
    .thread-meta,
    .address,
    .start {
      color: var(--_muted);
      font-size: 0.86em;
      white-space: nowrap;
    }
    .thread-view {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
    }
    header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 12px;
      border-bottom: 1px solid var(--_border);
    }
    header h3 {
      flex: 1;
      margin: 0;
      font-size: 1em;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .back {
      display: none;
    }
    .log {
      flex: 1;
      overflow-y: auto;
      padding: 8px 12px 12px;
    }
    .log:focus-visible {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }
    .older {
      display: block;
      margin: 4px auto 8px;
    }
    .messages {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 10px;
    }
    .message {
      display: flex;
      gap: 8px;
      align-items: flex-end;
      max-width: min(560px, 88%);
    }
    .message.out {
      margin-inline-start: auto;
      flex-direction: row-reverse;
    }
    .avatar {
      --dossier-avatar-size: 28px;
    }
    .bubble {
      min-width: 0;
      padding: 8px 10px;
      border-radius: 12px;
      background: var(--_surface);
      border: 1px solid var(--_border);
      overflow-wrap: anywhere;
    }
    .in .bubble {
      border-end-start-radius: 4px;
    }
    .out .bubble {
      background: var(--_accent-soft);
      border-color: transparent;
      border-end-end-radius: 4px;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: baseline;
      margin-bottom: 2px;
    }
    .subject {
      font-weight: 600;
      margin: 2px 0;
    }
    .text {
      white-space: pre-wrap;
      margin: 2px 0;
      line-height: 1.45;
    }
    .html {
      line-height: 1.45;
      overflow-x: auto;
    }
    .html :is(p, ul, ol, blockquote, table, pre) {
      margin: 4px 0;
    }
    .html blockquote {
      border-inline-start: 3px solid var(--_border);
      padding-inline-start: 8px;
      color: var(--_muted);
    }
    a {
      color: var(--_accent);
    }
    .call {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px;
      margin: 2px 0;
      font-weight: 600;
    }
    .link {
      border: 0;
      background: none;
      color: var(--_accent);
      text-decoration: underline;
      padding: 2px 0;
      min-height: 24px;
    }
    .toggle {
      font-size: 0.86em;
    }
    .attachments {
      list-style: none;
      margin: 6px 0 0;
      padding: 0;
      display: grid;
      gap: 4px;
    }
    .attachment {
      display: flex;
      gap: 6px;
      align-items: center;
      width: 100%;
      text-align: start;
      padding: 6px 8px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius-sm);
      background: var(--_bg);
      color: var(--_text);
      cursor: pointer;
    }
    .attachment:hover {
      border-color: var(--_accent);
    }
    .attachment .icon {
      color: var(--_muted);
      flex: none;
    }
    .attachment .name {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .attachment .size {
      color: var(--_muted);
      font-size: 0.86em;
    }
    .preview {
      position: absolute;
      inset: 0;
      z-index: 2;
      overflow: auto;
      background: var(--_bg);
    }
    /* Narrow hosts: one pane at a time, the thread with a way back to the list. */
    @container (max-width: 560px) {
      .panes {
        grid-template-columns: 1fr;
      }
      .panes.list-open .thread-view,
      .panes:not(.list-open) .threads {
        display: none;
      }
      .threads {
        border-inline-end: 0;
      }
      .back {
        display: inline-flex;
      }
      header {
        flex-wrap: wrap;
        padding: 8px;
      }
      header h3 {
        order: 3;
        flex-basis: 100%;
      }
      header [part='reply'] {
        margin-inline-start: auto;
      }
      .message {
        max-width: 94%;
      }
    }
  `,
];
