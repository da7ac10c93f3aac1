// Worker threads do not inherit a TypeScript loader registered in code (bin/dossier.mjs, the test runner):
// register tsx here, then load the worker itself.
(await import('tsx/esm/api')).register();
await import('./csv-export-worker.ts');
