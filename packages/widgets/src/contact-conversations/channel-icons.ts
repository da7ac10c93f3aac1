import { svg, type SVGTemplateResult } from 'lit';

// One small outline icon per channel (24×24, currentColor), drawn here so no icon font or image loads.
const ICONS: Record<string, SVGTemplateResult> = {
  email: svg`<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3 7 9 6 9-6"/>`,
  sms: svg`<path d="M4 5h16v11H9l-5 4z"/>`,
  whatsapp: svg`<path d="M4 20l1.3-4A8 8 0 1 1 8.5 19z"/><path d="M9 9c0 3 3 6 6 6l1-1.5-2-1-1 1c-1-.5-2-1.5-2.5-2.5l1-1-1-2z"/>`,
  instagram: svg`<rect x="4" y="4" width="16" height="16" rx="5"/><circle cx="12" cy="12" r="3.5"/><circle cx="17" cy="7" r=".8"/>`,
  facebook: svg`<path d="M12 3a9 9 0 0 0-9 8.6A9 9 0 0 0 6 18v3l3-1.6a9 9 0 1 0 3-16.4z"/><path d="m7 13 3-3 2 2 3-3"/>`,
  attachment: svg`<path d="m20 11-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7"/>`,
  call: svg`<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a1 1 0 0 1-1 1A16 16 0 0 1 4 5a1 1 0 0 1 1-1"/>`,
};

export const channelIcon = (channel: string) =>
  svg`<svg class="icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${ICONS[channel] ?? ICONS.sms}</svg>`;
