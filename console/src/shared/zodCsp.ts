/**
 * The console runs under a CSP without 'unsafe-eval' (server/http/headers.ts). zod compiles object parsers with
 * `new Function` when it may, and even its probe for that is reported as a CSP violation: turn it off before any
 * schema (contract/) is built. Imported first by main.ts for that reason.
 */
import { config } from 'zod';

config({ jitless: true });
