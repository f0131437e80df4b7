/**
 * npm start with TLS=demo: makes (or reuses) the demo CA and server certificate in the data folder before the
 * server and the platform simulator start, and prints the CA file (the simulator trusts it for its https posts).
 */
import path from 'node:path';
import { ensureDemoPki } from '../server/certificates/demoPki.ts';

const root = path.resolve(import.meta.dirname, '..');
const pki = await ensureDemoPki(path.resolve(process.env.DATA_DIR ?? path.join(root, 'data')));
console.log(pki.caFile);
