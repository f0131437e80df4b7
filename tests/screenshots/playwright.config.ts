/**
 * `npm run screenshots`: the console's main pages as PNG files in screenshots/, for reviews and the README —
 * the e2e suite's browser and server settings, its own folder of "tests" that only take pictures.
 */
import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.shots.ts',
  timeout: 300_000,
  outputDir: '../../test-results/screenshots',
  use: { ...base.use, viewport: { width: 1440, height: 900 } },
  webServer: { ...(base.webServer as object), command: 'npx tsx tests/e2e/server.ts', cwd: '../..' } as typeof base.webServer,
});
