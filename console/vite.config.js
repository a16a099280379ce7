import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The console is served by the app itself, at its root, from the files this build writes to dist/;
// src/Gatehouse.Functions copies them into its output and publish folders as wwwroot/.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
})
