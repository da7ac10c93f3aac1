import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { minifyLitTemplates } from './scripts/vite-minify-templates.js';

/** Hono's RPC client without its cookie module (packages/core/src/hono-client-cookie.ts says why). */
function honoClientWithoutCookies(): Plugin {
  const shim = fileURLToPath(new URL('./packages/core/src/hono-client-cookie.ts', import.meta.url));
  return {
    name: 'dossier:hono-client-cookie',
    enforce: 'pre',
    resolveId: (source, importer) => (source === '../utils/cookie.js' && importer?.replace(/\\/g, '/').endsWith('hono/dist/client/client.js') ? shim : null),
  };
}

/** One public element per folder; each gets its own entry in `vite build --mode elements`. */
const ELEMENTS = ['contact-record', 'contact-table', 'contact-documents', 'share-viewer', 'contact-activity'];
/**
 * Modules reached only through dynamic import(), with what only they use: they stay in their own chunks.
 * Everything else is merged into dossier.js, so the script tag fetches one file up front.
 */
const LAZY = new RegExp(
  [
    'contact-table/(table-actions|filter-drawer|filter-fields|chips|column-picker|merge-dialog|unmerge-dialog|import-wizard|table-dialogs)\\.ts$',
    'contact-record/rebase\\.ts$',
    'contact-documents/(document-preview|document-upload|upload-request|document-bin|pdf-view|pdf\\.worker)\\.ts',
    // The record's audit log (its sentences and their messages) loads when its tab first opens.
    'contact-record/(record-audit-log|audit-sentences|audit-messages)\\.ts$',
    // Every record tab but Contact loads when first opened.
    'contact-record/(general-tab|additional-tab|dnd-tab)\\.ts$',
    // A file custom field's upload control in the record's Additional tab.
    'contact-record/file-field\\.ts$',
    'node_modules/pdfjs-dist/',
    // Directives only lazy parts use (the filter drawer, the column picker): with them, not in dossier.js.
    'node_modules/lit(-html)?/directives/(repeat|keyed)\\.js$',
    // <share-viewer> is a small eager shell: its gate, document view, pdf.js loader and phone rules load on use.
    'share-viewer/(share-viewer-gate|share-document|phone|pdf-loader|api|messages|events|share-viewer\\.styles)\\.ts$',
    'node_modules/libphonenumber-js/',
    // <contact-activity> (timeline and attribution): defined on first use through loadActivity() (load.ts stays eager).
    'contact-activity/(?!load\\.ts)',
    // The staff share dialog opens from <contact-documents>' menu.
    'contact-documents/share/',
  ].join('|'),
);

// `vite build`: dist/dossier.js, everything for the script tag in one ES module (lazy chunks aside).
// `vite build --mode elements`: dist/elements/<name>.js, one entry per element plus the provider.
export default defineConfig(({ mode }) => ({
  // Relative, so lazy assets (the pdf.js worker) resolve next to the bundle wherever the host serves it.
  base: './',
  plugins: [minifyLitTemplates(), honoClientWithoutCookies()],
  build: {
    target: 'es2022',
    minify: true,
    sourcemap: true,
    emptyOutDir: mode !== 'elements',
    outDir: mode === 'elements' ? 'dist/elements' : 'dist',
    // Lazy chunks (document preview, pdf.js, upload dialog) import what they share with the eager code from the
    // entry itself, so the script-tag bundle stays one file instead of the entry plus common chunks.
    rollupOptions:
      mode === 'elements'
        ? { output: { minify: true } }
        : {
            preserveEntrySignatures: 'allow-extension' as const,
            output: { minify: true, manualChunks: (id: string) => (LAZY.test(id) ? undefined : 'dossier') },
          },
    lib:
      mode === 'elements'
        ? {
            entry: Object.fromEntries([
              ['dossier-provider', 'packages/core/src/dossier-provider.ts'],
              ...ELEMENTS.map((name) => [name, `packages/widgets/src/${name}/${name}.ts`]),
            ]),
            formats: ['es' as const],
          }
        : { entry: 'packages/widgets/src/index.ts', formats: ['es' as const], fileName: () => 'dossier.js' },
  },
}));
