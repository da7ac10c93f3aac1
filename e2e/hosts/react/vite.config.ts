import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({ base: '/react-host/', plugins: [react()], build: { target: 'es2022', chunkSizeWarningLimit: 4000 } });
