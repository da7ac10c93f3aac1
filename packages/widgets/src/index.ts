// Registers every public Dossier element. The script-tag bundle (dist/dossier.js) is built from this file.
export * from '../../core/src/index.js';
export * from './contact-record/contact-record.js';
export * from './contact-documents/contact-documents.js';
export * from './contact-table/contact-table.js';
export * from './share-viewer/share-viewer.js';
export { loadActivity } from './contact-activity/load.js';
