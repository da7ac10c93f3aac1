// The script-tag bundle (dist/dossier.js): registers every public Dossier element and exports the public API only —
// the element classes, DossierApiError, the message catalogue's addMessages / setLocale and the build's `version`
// (and the event classes' types).
// (The lazy chunks import what they share with it under short names the bundler picks; those are not API.)
export { DossierApiError } from '../../core/src/api.js';
export { VERSION as version } from '../../core/src/context.js';
export { DossierProvider } from '../../core/src/dossier-provider.js';
// Event classes as types: hosts listen by name (`dossier-error`, `contact-open`…), typed through HTMLElementEventMap.
export type * from '../../core/src/events.js';
export { addMessages, setLocale } from '../../core/src/i18n.js';
export type * from '../../core/src/types.js';
// Types the elements' declarations name (their base classes, the provider's client and token callback).
export type { DossierElement, ThemedElement } from '../../core/src/dossier-element.js';
export type { DossierClient } from '../../core/src/client.js';
export type { GetToken } from '../../core/src/token-source.js';
export type { Theme } from '../../core/src/context.js';
export { ContactRecord } from './contact-record/contact-record.js';
export { ContactDocuments } from './contact-documents/contact-documents.js';
export { ContactTable } from './contact-table/contact-table.js';
export { ShareViewer } from './share-viewer/share-viewer.js';
import { defineOnSight } from './lazy-define.js';

// Standalone right-panel tabs load their chunk when one appears in the page.
defineOnSight({
  'contact-activity': () => import('./contact-activity/contact-activity.js'),
  'contact-conversations': () => import('./contact-conversations/contact-conversations.js'),
  'contact-notes': () => import('./contact-notes/contact-notes.js'),
  'contact-tasks': () => import('./contact-tasks/contact-tasks.js'),
  'contact-appointments': () => import('./contact-appointments/contact-appointments.js'),
  'contact-payments': () => import('./contact-payments/contact-payments.js'),
});
export { loadActivity } from './contact-activity/load.js';
