import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import monacoEditor from '@kong-ui-public/monaco-editor/vite-plugin'
import precompress from './precompress.js'

// The console is served by the app itself, at its root, from the files this build writes to dist/;
// src/Gatehouse.Functions copies them into its output and publish folders as console/.
export default defineConfig({
  plugins: [
    vue(),
    // Kong's editor (the plugin form's config editor, the route expressions editor) would otherwise
    // bring every language Monaco and Shiki know, with their workers (TypeScript's alone is 7 MB):
    // the console edits JSON and YAML, and Kong's code blocks show Lua and shell besides.
    monacoEditor({
      languages: ['json', 'yaml'],
      shiki: { langs: ['json', 'yaml', 'lua', 'shellscript'] },
    }),
    precompress(),
  ],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
  },
})
