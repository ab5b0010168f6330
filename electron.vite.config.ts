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
    // Sandboxed windows load preloads as classic CommonJS scripts that may require only 'electron':
    // one self-contained .cjs file, its dependencies (zod, through src/shared/api.ts) bundled in
    // (the package's "type": "module" would otherwise make it ESM with zod left external).
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: { output: { format: 'cjs' } },
    },
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
