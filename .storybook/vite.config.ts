import { defineConfig } from 'vite';

// Storybook's own Vite settings (the root config is for the library build).
export default defineConfig({ build: { target: 'es2022', chunkSizeWarningLimit: 2000 } });
