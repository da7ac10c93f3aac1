import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { minifyLitTemplates } from './scripts/vite-minify-templates.js';
import { terserPass } from './scripts/vite-terser-pass.js';

/** Hono's RPC client without its cookie module (packages/core/src/hono-client-cookie.ts says why). */
function honoClientWithoutCookies(): Plugin {
  const shim = fileURLToPath(new URL('./packages/core/src/hono-client-cookie.ts', import.meta.url));
  return {
    name: 'dossier:hono-client-cookie',
    enforce: 'pre',
    resolveId: (source, importer) => (source === '../utils/cookie.js' && importer?.replace(/\\/g, '/').endsWith('hono/dist/client/client.js') ? shim : null),
  };
}

/**
 * One public element per folder (`packages/widgets/src/<name>/<name>.ts`); each gets its own entry in `vite build
 * --mode elements` (and so a subpath of the npm package, found by scripts/pack.mjs through the build's manifest).
 */
const widgets = new URL('./packages/widgets/src/', import.meta.url);
const ELEMENTS = readdirSync(widgets, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(new URL(`${d.name}/${d.name}.ts`, widgets)))
  .map((d) => d.name);
/**
 * Modules reached only through dynamic import(), with what only they use: they stay in their own chunks.
 * Everything else is merged into dossier.js, so the script tag fetches one file up front.
 */
const LAZY = new RegExp(
  [
    'contact-table/(table-actions|filter-drawer|filter-fields|chips|column-picker|merge-dialog|unmerge-dialog|import-wizard|table-dialogs|add-contact-dialog|org-rows)\\.ts$',
    'contact-record/rebase\\.ts$',
    'contact-documents/(document-preview|document-upload|upload-request|document-bin|pdf-view|pdf\\.worker)\\.ts',
    // The record's audit log (its sentences and their messages) loads when its tab first opens.
    'contact-record/(record-audit-log|audit-sentences|audit-messages)\\.ts$',
    // The record's tabs and panels (loaded while the contact loads); every tab but Contact loads when first opened.
    'contact-record/(record-panels(\\.styles)?|contact-tab|general-tab|additional-tab|dnd-tab)\\.ts$',
    // The record's right-panel tabs, each its own element.
    'contact-(notes|tasks|appointments|workflows|portal)/',
    'contact-associations/',
    'contact-conversations/',
    // The Actions panel's Opportunities section (and its dialog, its Contact-tab list).
    'contact-opportunities/',
    'contact-payments/',
    // Billing (invoices, subscriptions) inside the Payments tab, and the money arithmetic only they use.
    'contact-billing/',
    'core/src/money\\.ts$',
    // A file custom field's upload control in the record's Additional tab.
    'contact-record/file-field\\.ts$',
    // The header's picture button (with the panels) and its crop dialog (on first use).
    'contact-record/avatar-(button|dialog|crop|messages)\\.ts$',
    'node_modules/pdfjs-dist/',
    // Directives only lazy parts use (the filter drawer, the column picker): with them, not in dossier.js.
    'node_modules/lit(-html)?/directives/(repeat|keyed|unsafe-html)\\.js$',
    // <share-viewer> is a small eager shell: its gate, document view, pdf.js loader and phone rules load on use.
    'share-viewer/(share-viewer-gate|share-document|phone|pdf-loader|api|messages|events|share-viewer\\.styles)\\.ts$',
    'node_modules/libphonenumber-js/',
    // <contact-activity> (timeline and attribution): defined on first use through loadActivity() (load.ts stays eager).
    'contact-activity/(?!load\\.ts)',
    // The staff share dialog opens from <contact-documents>' menu.
    'contact-documents/share/',
    // The shipped languages' catalogues: one chunk each, loaded when the language is first used.
    'core/src/locales/',
  ].join('|'),
);

// `vite build`: dist/dossier.js, everything for the script tag in one ES module (lazy chunks aside).
// `vite build --mode elements`: dist/elements/<name>.js, one entry per element plus the provider.
export default defineConfig(({ mode }) => ({
  // Relative, so lazy assets (the pdf.js worker) resolve next to the bundle wherever the host serves it.
  base: './',
  plugins: [minifyLitTemplates(), honoClientWithoutCookies(), terserPass()],
  define: { __DOSSIER_VERSION__: JSON.stringify(process.env.npm_package_version ?? JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version) },
  build: {
    target: 'es2022',
    minify: true,
    sourcemap: true,
    // dist/.vite/manifest.json: the server reads which files are hashed (immutable) from it.
    manifest: true,
    // Never emptied: earlier builds' hashed chunks stay for pages opened before a deploy (scripts/version-dist.mjs
    // keeps the newest versions and removes older chunks).
    emptyOutDir: false,
    outDir: mode === 'elements' ? 'dist/elements' : 'dist',
    // Lazy chunks (document preview, pdf.js, upload dialog) import what they share with the eager code from the
    // entry itself, so the script-tag bundle stays one file instead of the entry plus common chunks.
    rollupOptions:
      mode === 'elements'
        ? { output: { minify: true, comments: { annotation: false } } }
        : {
            preserveEntrySignatures: 'allow-extension' as const,
            // No /* @__PURE__ */ annotations in shipped code: they only help a bundler that re-bundles dist/.
            output: { minify: true, comments: { annotation: false }, manualChunks: (id: string) => (LAZY.test(id) ? undefined : 'dossier') },
          },
    lib:
      mode === 'elements'
        ? {
            entry: Object.fromEntries([
              ['dossier-provider', 'packages/core/src/dossier-provider.ts'],
              ...ELEMENTS.map((name) => [name, `packages/widgets/src/${name}/${name}.ts`]),
              // Documented as usable on its own (inside a provider), so it has an entry of its own too.
              ['share-link-dialog', 'packages/widgets/src/contact-documents/share/share-link-dialog.ts'],
            ]),
            formats: ['es' as const],
          }
        : { entry: 'packages/widgets/src/index.ts', formats: ['es' as const], fileName: () => 'dossier.js' },
  },
}));
