import { loadChunk } from '../../../core/src/chunk.js';
/**
 * Defines `<contact-activity>` on first use: its code (timeline, attribution, sentences) is a lazy chunk, not part of
 * dossier.js. The record's right panel calls this when its Activity tab opens; a host page may call it too.
 */
export const loadActivity = () => loadChunk(() => import('./contact-activity.js'));
