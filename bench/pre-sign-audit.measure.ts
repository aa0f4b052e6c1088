import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from '../src/store/sqlite.js';
import { createLedgerLog } from '../src/verify/checkpoint/log.js';
import { auditNewlyCovered } from '../src/verify/checkpoint/pre-sign-audit.js';
import { verifyLedgerFile } from '../src/verify/ledger/verify-ledger.js';
import { writeSyntheticLedger } from '../test/verify/synthetic-ledger.js';

/**
 * The before-signing audit (issue 16 hole 4) per event, beside `custody verify --ledger` (1 worker)
 * on the same file in the same run. `tsx bench/pre-sign-audit.measure.ts [events]` (default 20,000).
 */
const events = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'custody-presign-bench-'));
try {
  const path = join(dir, 'ledger.db');
  const { trust } = await writeSyntheticLedger(path, events);
  const store = createSqliteStore({ path });
  const log = createLedgerLog(store);
  const size = await log.sync();
  const started = performance.now();
  const found = await auditNewlyCovered(store, log, 0, size);
  const auditMs = performance.now() - started;
  await store.close();
  if (found) throw new Error(`the synthetic ledger failed the audit: ${JSON.stringify(found)}`);
  const verifyStarted = performance.now();
  const report = await verifyLedgerFile(path, { ...trust, workers: 1 });
  const verifyMs = performance.now() - verifyStarted;
  console.log(
    JSON.stringify({
      events: size,
      auditMicrosecondsPerEvent: Math.round((auditMs * 1000) / size),
      auditEventsPerSecond: Math.round(size / (auditMs / 1000)),
      verifyLedgerOneWorkerEventsPerSecond: Math.round(size / (verifyMs / 1000)),
      verifyOk: report.ok,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
