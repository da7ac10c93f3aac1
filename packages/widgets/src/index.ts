// The script-tag bundle (dist/dossier.js): registers every public Dossier element and exports the public API only —
// the element classes, their event classes, DossierApiError and the message catalogue's addMessages / setLocale.
// (The lazy chunks import what they share with it under short names the bundler picks; those are not API.)
export { DossierApiError } from '../../core/src/api.js';
export { DossierProvider } from '../../core/src/dossier-provider.js';
export * from '../../core/src/events.js';
export { addMessages, setLocale } from '../../core/src/i18n.js';
export type * from '../../core/src/types.js';
export { ContactRecord } from './contact-record/contact-record.js';
export { ContactDocuments } from './contact-documents/contact-documents.js';
export { ContactTable } from './contact-table/contact-table.js';
export { ShareViewer } from './share-viewer/share-viewer.js';
