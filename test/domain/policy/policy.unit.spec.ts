import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PolicyCommand } from '../../../src/domain/policy/commands.js';
import { decidePolicy, signersOfPolicyCommand, type PolicyContext } from '../../../src/domain/policy/decide.js';
import type { PolicyEvent } from '../../../src/domain/policy/events.js';
import { evolvePolicyHistory, initialPolicyHistory, policyInForce, type PolicyHistory } from '../../../src/domain/policy/history.js';
import { defaultPolicy, type Policy } from '../../../src/domain/policy/policy.js';
import type { IsoTime } from '../../../src/domain/primitives.js';
import { at, directory } from '../fixtures.js';
import { outcomesOf } from '../outcomes.js';

const version = (n: number, overrides: Partial<Policy> = {}): Policy => ({ ...defaultPolicy, name: 'ministry-2027', version: n, ...overrides });
const adopt = (policy: Policy, adoptedBy = 'officer') => ({ type: 'AdoptPolicy' as const, data: { policy, adoptedBy } });
const adopted = (policy: Policy, adoptedBy = 'officer'): PolicyEvent => ({ type: 'PolicyAdopted', data: { policy, adoptedBy } });

type Given = { event: PolicyEvent; time: IsoTime };

/** Given the adoptions already recorded (and the latest act time in the ledger) → when command → then events. */
function given(history: Given[] = [], context: Partial<PolicyContext> = {}) {
  const folded = history.reduce<PolicyHistory>((h, g) => evolvePolicyHistory(h, { ...g.event, time: g.time }), initialPolicyHistory);
  const ctx: PolicyContext = {
    now: context.now ?? at(10),
    persons: context.persons ?? directory(),
    base: context.base ?? defaultPolicy,
    latestActTime: context.latestActTime === undefined ? (history.at(-1)?.time ?? null) : context.latestActTime,
  };
  return {
    when: (input: z.input<typeof PolicyCommand>) => outcomesOf(() => decidePolicy(PolicyCommand.parse(input), folded, ctx)),
  };
}

describe('adopting a policy', () => {
  it('R-POLICY lets an active security officer adopt a higher version, signed by them', () => {
    given().when(adopt(version(2))).then([adopted(version(2))]);
    expect(signersOfPolicyCommand(PolicyCommand.parse(adopt(version(2))))).toEqual(['officer']);
  });

  it('R-POLICY refuses anyone but a security officer, and a deactivated or unknown person', () => {
    given().when(adopt(version(2), 'clerk1')).thenRefused('R-POLICY', /clerk1 is not a security officer/);
    given().when(adopt(version(2), 'retired')).thenRefused('R-POLICY', /retired is not an enrolled, active person/);
    given().when(adopt(version(2), 'nobody')).thenRefused('R-POLICY', /nobody is not an enrolled, active person/);
  });

  it('R-POLICY refuses a version that does not go above the one in force (the base, then each adoption)', () => {
    given().when(adopt(version(1))).thenRefused('R-POLICY', /seed-default version 1; a new one needs a higher version, not 1/);
    const history = [{ event: adopted(version(3)), time: at(1) }];
    given(history).when(adopt(version(3))).thenRefused('R-POLICY', /ministry-2027 version 3/);
    given(history).when(adopt(version(2))).thenRefused('R-POLICY');
    given(history).when(adopt(version(4, { circulationMaxHours: 24 }))).then([adopted(version(4, { circulationMaxHours: 24 }))]);
  });

  it('R-POLICY refuses an adoption dated before an act the ledger already holds: that act was judged by the policy of its time', () => {
    given([], { now: at(5), latestActTime: at(6) }).when(adopt(version(2))).thenRefused('R-POLICY', /already holds an act dated/);
    given([], { now: at(6), latestActTime: at(6) }).when(adopt(version(2))).then([adopted(version(2))]);
  });

  it('refuses a policy that is not a whole, valid policy (the schema names the field)', () => {
    expect(() => PolicyCommand.parse(adopt({ ...version(2), circulationMaxHours: 0 }))).toThrow(/circulationMaxHours/);
    // Every event of an act stores the whole act: 10,000 carriers in one act would store ~25 GB.
    expect(() => PolicyCommand.parse(adopt({ ...version(2), maxCarriersPerAct: 1_001 }))).toThrow(/maxCarriersPerAct/);
    expect(PolicyCommand.parse(adopt({ ...version(2), maxCarriersPerAct: 1_000 })).data.policy.maxCarriersPerAct).toBe(1_000);
    const { maxCarriersPerAct: _dropped, ...partial } = version(2);
    expect(() => PolicyCommand.parse(adopt(partial as Policy))).toThrow(/maxCarriersPerAct/);
  });
});

describe('the policy in force', () => {
  const history = [
    { event: adopted(version(2, { circulationMaxHours: 24 })), time: at(2) },
    { event: adopted(version(3, { circulationMaxHours: 12 })), time: at(5) },
  ].reduce<PolicyHistory>((h, g) => evolvePolicyHistory(h, { ...g.event, time: g.time }), initialPolicyHistory);

  it('is the base before the first adoption, each adoption from exactly its time on, the latest after', () => {
    const hoursAt = (time: IsoTime) => policyInForce(history, defaultPolicy, time).circulationMaxHours;
    expect(hoursAt(at(0))).toBe(48);
    expect(hoursAt(new Date(Date.parse(at(2)) - 1).toISOString())).toBe(48);
    expect(hoursAt(at(2))).toBe(24);
    expect(hoursAt(at(4))).toBe(24);
    expect(hoursAt(at(5))).toBe(12);
    expect(hoursAt(at(500))).toBe(12);
  });

  it('keeps who adopted each version and from when', () => {
    expect(history.map((a) => [a.from, a.policy.version, a.adoptedBy])).toEqual([
      [at(2), 2, 'officer'],
      [at(5), 3, 'officer'],
    ]);
    expect(policyInForce(initialPolicyHistory, defaultPolicy, at(9))).toBe(defaultPolicy);
  });
});
