import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    // Signature-heavy tests run on a loaded 2-core CI machine: generous, not tight.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
