import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy, type Policy } from '../../src/domain/policy/policy.js';
import { createProjections, type ProjectionSet } from '../../src/projections/index.js';
import type { EventStore } from '../../src/store/port.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createKit, type Kit } from '../ledger/kit.js';

let dir: string;
let store: EventStore;
let kit: Kit;
const opened: ProjectionSet[] = [];
const open = async () => {
  const projections = await createProjections({ store });
  opened.push(projections);
  return projections;
};

const HOUR = 3_600_000;
const plusHours = (time: string, hours: number) => new Date(Date.parse(time) + hours * HOUR).toISOString();
/** Loss reports must reach the security office within 6 hours from version 2 on (the seed: 24). */
const faster: Policy = { ...defaultPolicy, name: 'ministry-2027', version: 2, lossReportHours: 6 };
const reportMissing = (carrierId: string) => ({ type: 'ReportMissing', data: { carrierId, reportedBy: 'clerk1', circumstances: 'not in the safe' } });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custody-policy-projections-'));
  store = createSqliteStore({ path: join(dir, 'ledger.db') });
  kit = await createKit(store);
  await kit.enrolCast();
  await kit.register('C1');
  await kit.register('C2');
});

afterEach(async () => {
  for (const projections of opened.splice(0)) projections.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the policy in force, as the projections see it', () => {
  it('judges each loss report by the policy in force when it was made, before and after a recorded change', async () => {
    const live = await open();
    const before = (await kit.perform(reportMissing('C1'))).events[0]!;
    const adoption = await kit.perform({ type: 'AdoptPolicy', data: { policy: faster, adoptedBy: 'officer' } });
    const after = (await kit.perform(reportMissing('C2'))).events[0]!;
    await live.waitFor(after.position);

    const reportedAt = (carrierId: string) => live.trace(carrierId).case!.reportedAt;
    expect(live.trace('C1').deadlines!.report.due).toBe(plusHours(reportedAt('C1'), 24));
    expect(live.trace('C2').deadlines!.report.due).toBe(plusHours(reportedAt('C2'), 6));
    expect(before.position < adoption.events[0]!.position).toBe(true);

    const rebuilt = await open();
    expect(rebuilt.snapshot()).toEqual(live.snapshot());
    expect(rebuilt.trace('C2', reportedAt('C2'))).toEqual(live.trace('C2', reportedAt('C2')));
  });

  it('answers which policy was in force at any instant, since when, by whom, and every adoption', async () => {
    const projections = await open();
    const start = projections.policy();
    expect(start).toMatchObject({ inForce: defaultPolicy, since: null, adoptedBy: null, history: [] });

    const adopted = await kit.perform({ type: 'AdoptPolicy', data: { policy: faster, adoptedBy: 'officer' } });
    await projections.waitFor(adopted.events[0]!.position);
    const [adoption] = projections.policy().history;
    expect(adoption).toMatchObject({ policy: faster, adoptedBy: 'officer' });
    const justBefore = new Date(Date.parse(adoption!.from) - 1).toISOString();
    expect(projections.policy(justBefore)).toMatchObject({ inForce: defaultPolicy, since: null });
    expect(projections.policy(adoption!.from)).toMatchObject({ at: adoption!.from, inForce: faster, since: adoption!.from, adoptedBy: 'officer' });
    expect(() => projections.policy('yesterday')).toThrow(/at/);
  });
});
