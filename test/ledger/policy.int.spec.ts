import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleViolation } from '../../src/domain/errors.js';
import { carriersOfAct, summarise } from '../../src/inbox/summary.js';
import { POLICY_STREAM } from '../../src/domain/policy/history.js';
import { defaultPolicy, type Policy } from '../../src/domain/policy/policy.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import type { EventStore } from '../../src/store/port.js';
import { createKit, type Kit } from './kit.js';

let dir: string;
let store: EventStore;
let kit: Kit;

/** Copies of secret carriers need the originating authority from version 2 on (the seed: a unit head). */
const stricter: Policy = { ...defaultPolicy, name: 'ministry-2027', version: 2, copyApproval: { ...defaultPolicy.copyApproval, secret: 'originating-authority' } };
const adopt = (policy: Policy, adoptedBy = 'officer') => ({ type: 'AdoptPolicy', data: { policy, adoptedBy } });
const requestCopies = (carrierId: string, requestId: string) => ({
  type: 'RequestCopies',
  data: { carrierId, requestId, copies: 1, reason: 'for the planning group', requestedBy: 'clerk1' },
});
const approve = (carrierId: string, requestId: string, approvedBy: string) => ({ type: 'ApproveCopies', data: { carrierId, requestId, approvedBy } });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-policy-'));
  store = createSqliteStore({ path: join(dir, 'ledger.db') });
  kit = await createKit(store);
  await kit.enrolCast();
  await kit.register('C1');
  await kit.perform(requestCopies('C1', 'CR-1'));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refused(attempt: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const before = await store.headPosition();
  const error = await attempt().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RuleViolation);
  expect((error as Error).message).toMatch(pattern);
  expect(await store.headPosition()).toBe(before);
}

describe('a recorded policy change', () => {
  it('is a signed act on the ledger-policy stream, and from its time on decides the acts that follow', async () => {
    expect(kit.ledger.policy).toBe(defaultPolicy);
    const result = await kit.perform(adopt(stricter));
    expect(result.events.map((e) => [e.stream, e.revision])).toEqual([[POLICY_STREAM, 0n]]);
    expect(kit.ledger.policy).toEqual(stricter);

    await refused(() => kit.perform(approve('C1', 'CR-1', 'unitHead')), /R-COPY-2/);
    await kit.perform(approve('C1', 'CR-1', 'originAuth'));
  });

  it('judges an act by the policy of its own time, even when it is submitted after the change', async () => {
    const prepared = kit.ledger.prepare(approve('C1', 'CR-1', 'unitHead'));
    await kit.perform(adopt(stricter));
    const late = await kit.ledger.submit(kit.signed(prepared));
    expect(late.alreadyRecorded).toBe(false);
    expect(kit.ledger.policyAt(prepared.time)).toBe(defaultPolicy);
  });

  it('R-POLICY: only a security officer adopts, versions only go up, and never back over recorded acts', async () => {
    await refused(() => kit.perform(adopt(stricter, 'clerk1')), /R-POLICY: clerk1 is not a security officer/);
    await refused(() => kit.perform(adopt({ ...stricter, version: 1 })), /R-POLICY: .*needs a higher version, not 1/);

    const early = kit.ledger.prepare(adopt(stricter));
    await kit.perform(requestCopies('C1', 'CR-2'));
    await refused(() => kit.ledger.submit(kit.signed(early)), /R-POLICY: the ledger already holds an act dated/);

    await kit.perform(adopt(stricter));
    await refused(() => kit.perform(adopt(stricter)), /R-POLICY: the policy in force is ministry-2027 version 2/);
    await kit.perform(adopt({ ...stricter, version: 3, circulationMaxHours: 24 }));
    expect(kit.ledger.policy.circulationMaxHours).toBe(24);
  });

  it('is still in force after a restart: the write model folds the policy stream', async () => {
    await kit.perform(adopt(stricter));
    const restarted = await kit.restart();
    expect(restarted.policy).toEqual(stricter);
    expect(restarted.model.policies.map((a) => a.policy.version)).toEqual([2]);
    await refused(() => kit.perform(approve('C1', 'CR-1', 'unitHead')), /R-COPY-2/);
  });

  it('is described in words in a signer\'s inbox, and touches no carrier', () => {
    const act = kit.ledger.prepare(adopt(stricter));
    expect(summarise(act, 'officer')).toBe('adopt policy ministry-2027 version 2');
    expect(carriersOfAct(act)).toEqual([]);
  });
});
