import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // Generous: a loaded 2-core machine started servers in over 60 s; a real failure only takes longer to show.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration files each start mediasoup workers and databases; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
