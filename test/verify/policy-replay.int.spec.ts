import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_STREAM } from '../../src/domain/policy/history.js';
import { defaultPolicy, type Policy } from '../../src/domain/policy/policy.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { exportCarrierBundle } from '../../src/verify/bundle/export-carrier.js';
import { writeLedgerBundle } from '../../src/verify/bundle/export-ledger.js';
import type { CarrierBundle, LedgerBundle } from '../../src/verify/bundle/schema.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { verifyLedgerFile } from '../../src/verify/ledger/verify-ledger.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { officeCast, readerIds } from '../projections/cast.js';
import { randomHistory } from '../projections/random-history.js';
import { createWorld, LEDGER_ID as WORLD_LEDGER_ID } from '../projections/world.js';
import { buildOffice, copyOf, trustedLedgerKey, type Office } from './fixture.js';

/** From version 2 a unit head may approve copies of top-secret carriers (the seed: only the originating authority). */
const relaxed: Policy = { ...defaultPolicy, name: 'ministry-2027', version: 2, copyApproval: { ...defaultPolicy.copyApproval, 'top-secret': 'unit-head' } };

let dir: string;
let path: string;
let office: Office;
let carrierBundle: CarrierBundle;
let ledgerBundle: LedgerBundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-policy-replay-'));
  path = join(dir, 'ledger.db');
  office = await buildOffice(createSqliteStore({ path }));
  const { kit } = office;
  await kit.register('TS1', 'top-secret');
  await kit.perform({ type: 'RequestCopies', data: { carrierId: 'TS1', requestId: 'CR-9', copies: 1, reason: 'for the minister', requestedBy: 'clerk1' } });
  await kit.perform({ type: 'AdoptPolicy', data: { policy: relaxed, adoptedBy: 'officer' } });
  // Allowed only under version 2: the replay must judge it by the policy of its time, not the seed's.
  await kit.perform({ type: 'ApproveCopies', data: { carrierId: 'TS1', requestId: 'CR-9', approvedBy: 'unitHead' } });
  await office.checkpointer.checkpoint();
  carrierBundle = await exportCarrierBundle('TS1', { store: office.store, checkpointer: office.checkpointer });
  ledgerBundle = await ledgerBundleOf(office);
});

async function ledgerBundleOf(source: Pick<Office, 'store' | 'checkpointer'>): Promise<LedgerBundle> {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  await writeLedgerBundle(out, { store: source.store, checkpointer: source.checkpointer });
  const [header, ...events] = chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...header, events } as unknown as LedgerBundle;
}

afterAll(async () => {
  await office.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('verifying a ledger whose policy changed', () => {
  it('a carrier bundle carries the policy stream and replays every act by the policy of its time', () => {
    expect(carrierBundle.streams.map((s) => s.stream)).toContain(POLICY_STREAM);
    const report = verifyBundle(copyOf(carrierBundle), office.trust);
    expect(report.issues).toEqual([]);
    expect(report.notices).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('without its policy stream, the same bundle fails: the approval is replayed under the seed policy and refused', () => {
    const b = copyOf(carrierBundle);
    b.streams = b.streams.filter((s) => s.stream !== POLICY_STREAM);
    const report = verifyBundle(b, office.trust);
    expect(report.ok).toBe(false);
    expect(report.issues).toEqual([expect.objectContaining({ code: 'rule-violation', stream: 'carrier-TS1', revision: 2 })]);
    expect(report.issues[0]!.message).toMatch(/R-COPY-2/);
  });

  it('a whole-ledger bundle replays the adoption itself (R-POLICY) and everything after it', () => {
    const report = verifyBundle(copyOf(ledgerBundle), office.trust);
    expect(report).toMatchObject({ ok: true, issues: [], notices: [] });
  });

  it('an adoption whose policy was edited in the bundle fails at that event', () => {
    const b = copyOf(ledgerBundle);
    const adoption = b.events.find((e) => e.stream === POLICY_STREAM)!;
    const envelope = adoption.data as { act: { events: Array<{ data: { policy: Policy } }> }; index: number };
    envelope.act.events[envelope.index]!.data.policy.lossReportHours = 240;
    const report = verifyBundle(b, office.trust);
    expect(report.ok).toBe(false);
    expect(report.issues.filter((i) => i.stream === POLICY_STREAM).map((i) => i.code)).toContain('bad-signature');
  });

  it('the whole ledger file verifies on worker threads, the policy stream with the rest', async () => {
    const report = await verifyLedgerFile(path, { ...office.trust, workers: 1 });
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a random history with policy changes and back-dated acts replays act for act as the ledger decided it', async () => {
    const world = await createWorld({ start: '2026-03-02T08:00:00.000Z' });
    await world.enrolAll(officeCast(8));
    const { performed } = await randomHistory(world, {
      seed: 5,
      acts: 150,
      prefix: 'X',
      registries: ['R1', 'R2', 'R3'],
      people: ['r1clerk1', 'r1clerk2', 'r2clerk1', 'courier1', 'courier2', 'leader1', ...readerIds(1, 6)],
      backdate: 0.25,
      policyChanges: 0.05,
    });
    expect(performed['AdoptPolicy']).toBeGreaterThanOrEqual(2);
    const ledgerKey = { ledgerId: WORLD_LEDGER_ID, ...generateKeyPair() };
    const checkpointer = await createCheckpointer({ store: world.store, ledgerKey, clock: world.clock });
    const report = verifyBundle(await ledgerBundleOf({ store: world.store, checkpointer }), { trustedLedgerKeys: [trustedLedgerKey(ledgerKey)] });
    expect(report.issues).toEqual([]);
    expect(report.notices).toEqual([]);
  });
});
