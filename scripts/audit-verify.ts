/**
 * npm run audit:verify — walks the audit trail's hash chain and names the first broken link (exit 1), or says
 * how many entries hold (exit 0). The same database settings as the server (DATABASE_URL, or DATA_DIR's
 * PGlite — stop the server first: embedded PGlite is single-process).
 */
import path from 'node:path';
import { connectDb } from '../db/connect.ts';
import { verifyAudit } from '../server/audit/service.ts';

const root = path.resolve(import.meta.dirname, '..');
const handle = await connectDb({ databaseUrl: process.env.DATABASE_URL, dataDir: path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'), 'pglite') });
try {
  await handle.useAppRole();
  const r = await verifyAudit(handle.db);
  if (r.ok) {
    console.log(`审计日志完整 audit trail intact: ${r.checked} entries, every link holds`);
  } else {
    const b = r.broken!;
    const why = b.reason === 'HASH' ? '内容被改动 (its content no longer gives its hash)' : '前一条被删除或调换 (the entry before it was removed or reordered)';
    console.error(`审计日志被篡改 audit trail BROKEN at entry #${b.id} (${b.at} ${b.action}): ${why}; ${r.checked} entries before it hold`);
    process.exitCode = 1;
  }
} finally {
  await handle.close();
}
