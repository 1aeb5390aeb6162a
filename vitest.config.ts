import { defineConfig } from 'vitest/config';

// Two projects: Node (services, center, shared, cross-cutting integration) and the DOM (renderer).
// The end-to-end tier (Chromium) is not run by vitest: see tests/run-all.mjs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'packages/**/*.test.ts', 'main/**/*.test.ts', 'server/src/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/lint/**/*.test.ts'],
          globalSetup: ['tests/support/pg-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
