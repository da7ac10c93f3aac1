import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Dossier's tags are custom elements, not Vue components.
const isCustomElement = (tag: string) => tag.startsWith('contact-') || tag.startsWith('dossier-') || tag === 'share-viewer' || tag === 'share-link-dialog';
export default defineConfig({ base: '/vue-host/', plugins: [vue({ template: { compilerOptions: { isCustomElement } } })], build: { target: 'es2022', chunkSizeWarningLimit: 4000 } });
