import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` (every test/**/*.test.ts but the browser ones) and `e2e` (test/e2e: Chromium
// against `normlab serve` and the built renderer, one file at a time). `vitest run` runs both;
// `vitest run --project unit` only the first.
export default defineConfig({
  // Renderer component tests mount .vue files.
  plugins: [vue()],
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process; isolating files in forks keeps backends apart.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          fileParallelism: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          // Each file starts a server and a browser, and trains: one at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
