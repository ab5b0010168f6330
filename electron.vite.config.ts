import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// Three Electron targets. The main build also emits the headless entry points (CLI, engine worker,
// benchmark) so that `npx normlab` and the desktop app run exactly the same bundled core.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/hosts/cli/main.ts'),
          worker: resolve(__dirname, 'src/main/engine/worker.ts'),
          bench: resolve(__dirname, 'src/main/hosts/cli/bench.ts'),
        },
      },
    },
  },
  preload: {
    build: { outDir: 'out/preload' },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
    plugins: [vue()],
  },
});
