import { defineConfig } from 'vite';

/** One public element per folder; each gets its own entry in `vite build --mode elements`. */
const ELEMENTS = ['contact-record', 'contact-table'];
/** Modules only reached through dynamic import(): they stay in their own chunks. */
const LAZY = /contact-table\/(table-actions|filter-drawer|filter-fields|column-picker|merge-dialog|import-wizard|table-dialogs)\.ts$/;

// `vite build`: dist/dossier.js, everything for the script tag in one ES module (lazy chunks aside).
// `vite build --mode elements`: dist/elements/<name>.js, one entry per element plus the provider.
export default defineConfig(({ mode }) => ({
  build: {
    target: 'es2022',
    minify: true,
    sourcemap: true,
    emptyOutDir: mode !== 'elements',
    outDir: mode === 'elements' ? 'dist/elements' : 'dist',
    // Lazy chunks (import wizard, merge dialog…) import shared code from dossier.js itself instead of
    // splitting it into extra chunks the script tag would have to fetch eagerly.
    rollupOptions:
      mode === 'elements'
        ? {}
        : {
            preserveEntrySignatures: 'allow-extension' as const,
            output: { manualChunks: (id: string) => (LAZY.test(id) ? undefined : 'dossier') },
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
