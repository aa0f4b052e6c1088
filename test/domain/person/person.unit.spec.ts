import { describe, expect, it } from 'vitest';
import { signersOfPersonCommand } from '../../../src/domain/person/decide.js';
import { PersonCommand } from '../../../src/domain/person/commands.js';
import type { PersonEvent, Role } from '../../../src/domain/person/events.js';
import { keyValidAt, type Person } from '../../../src/domain/person/state.js';
import { directory, people } from '../fixtures.js';
import { at, given, personAfter } from './spec.js';

/** The cast's key (every fixture person has it), and fresh keys nobody has used. */
const CAST_KEY = 'A'.repeat(43);
const KEY_1 = 'N'.repeat(43);
const KEY_2 = 'R'.repeat(43);

const enrolData = (overrides: Record<string, unknown> = {}) => ({
  personId: 'p1',
  name: 'Pat One',
  unit: 'Unit 2',
  clearance: 'secret' as const,
  roles: [] as Role[],
  publicKey: KEY_1,
  enrolledBy: 'officer',
  ...overrides,
});
const enrol = (overrides: Record<string, unknown> = {}) => ({ type: 'EnrolPerson' as const, data: enrolData(overrides) });
const enrolled = (overrides: Record<string, unknown> = {}): PersonEvent =>
  ({ type: 'PersonEnrolled', data: enrolData(overrides) }) as PersonEvent;

const rotate = (rotatedBy: string, publicKey = KEY_2) => ({
  type: 'RotatePersonKey' as const,
  data: { personId: 'p1', publicKey, rotatedBy },
});
const revoke = (revokedBy: string, revokedFrom = at(0), publicKey = KEY_1) => ({
  type: 'RevokePersonKey' as const,
  data: { personId: 'p1', publicKey, revokedFrom, reason: 'laptop stolen', revokedBy },
});
const changeRoles = (changedBy: string, roles: Role[] = [{ role: 'courier' }]) => ({
  type: 'ChangePersonRoles' as const,
  data: { personId: 'p1', roles, changedBy },
});
const changeClearance = (changedBy: string, clearance: 'confidential' | 'secret' | 'top-secret') => ({
  type: 'ChangePersonClearance' as const,
  data: { personId: 'p1', clearance, changedBy },
});
const deactivate = (deactivatedBy: string) => ({
  type: 'DeactivatePerson' as const,
  data: { personId: 'p1', reason: 'transferred to another unit', deactivatedBy },
});
const deactivated: PersonEvent = {
  type: 'PersonDeactivated',
  data: { personId: 'p1', reason: 'transferred to another unit', deactivatedBy: 'officer' },
};

const p1 = [enrolled()];
const holding = (...items: Array<[string, 'confidential' | 'secret' | 'top-secret']>) => ({
  holdingsOf: (id: string) => (id === 'p1' ? items.map(([carrierId, classification]) => ({ carrierId, classification })) : []),
});

describe('enrolment', () => {
  it('R-PERSON lets an active security officer enrol a new person', () => {
    given().when(enrol()).then([enrolled()]);
  });

  it('R-PERSON makes the enrolled person active with their first key valid from the enrolment', () => {
    const person = personAfter([{ ...enrolled(), time: at(0) }]) as Person;
    expect(person).toMatchObject({ status: 'active', clearance: 'secret', enrolledAt: at(0) });
    expect(keyValidAt(person, KEY_1, at(1))).toBeDefined();
  });

  it('R-PERSON refuses an enrolment by someone who is not a security officer', () => {
    given().when(enrol({ enrolledBy: 'clerk1' })).thenRefused('R-PERSON', /clerk1 is not a security officer/);
  });

  it('R-PERSON refuses an enrolment by a security officer who was deactivated', () => {
    const persons = directory().set('officer', { ...people.officer, status: 'deactivated' });
    given([], { persons }).when(enrol()).thenRefused('R-PERSON', /officer is not an enrolled, active person/);
  });

  it('R-PERSON refuses to enrol oneself once the ledger has people', () => {
    given().when(enrol({ enrolledBy: 'p1' })).thenRefused('R-PERSON', /p1 is not an enrolled, active person/);
  });

  it('R-PERSON refuses to enrol a person twice', () => {
    given(p1).when(enrol({ publicKey: KEY_2 })).thenRefused('R-PERSON', /p1 is already enrolled/);
  });

  it('R-PERSON refuses a public key another person already uses', () => {
    given().when(enrol({ publicKey: CAST_KEY })).thenRefused('R-PERSON', /already used by clerk1/);
  });

  it('R-PERSON on an empty ledger lets the first security officer enrol themself', () => {
    const founder = { personId: 'founder', enrolledBy: 'founder', roles: [{ role: 'security-officer' }] };
    given([], { persons: new Map() }).when(enrol(founder)).then([enrolled(founder)]);
  });

  it('R-PERSON on an empty ledger refuses a first person enrolled by someone else', () => {
    given([], { persons: new Map() })
      .when(enrol({ roles: [{ role: 'security-officer' }] }))
      .thenRefused('R-PERSON', /the first person must enrol themself/);
  });

  it('R-PERSON on an empty ledger refuses a first person who is not a security officer', () => {
    given([], { persons: new Map() })
      .when(enrol({ enrolledBy: 'p1', roles: [{ role: 'registry-clerk', registry: 'R1' }] }))
      .thenRefused('R-PERSON', /must be a security officer/);
  });

  it('L-2 the enrollee signs with the enrolling officer (proof of holding the key); a self-enrolment signs once', () => {
    expect(signersOfPersonCommand(PersonCommand.parse(enrol()))).toEqual(['officer', 'p1']);
    expect(signersOfPersonCommand(PersonCommand.parse(enrol({ enrolledBy: 'p1' })))).toEqual(['p1']);
  });
});

describe('key rotation', () => {
  it('R-PERSON lets a person rotate their own key', () => {
    given(p1).when(rotate('p1')).then([{ type: 'PersonKeyRotated', data: { personId: 'p1', publicKey: KEY_2, rotatedBy: 'p1' } }]);
  });

  it('R-PERSON lets a security officer rotate it for them', () => {
    given(p1).when(rotate('officer')).then([{ type: 'PersonKeyRotated', data: { personId: 'p1', publicKey: KEY_2, rotatedBy: 'officer' } }]);
  });

  it('R-PERSON after rotation the old key stops at the rotation and the new one signs', () => {
    const person = personAfter([
      { ...enrolled(), time: at(0) },
      { type: 'PersonKeyRotated', data: { personId: 'p1', publicKey: KEY_2, rotatedBy: 'p1' }, time: at(5) },
    ]) as Person;
    expect(keyValidAt(person, KEY_1, at(4))).toBeDefined();
    expect(keyValidAt(person, KEY_1, at(5))).toBeUndefined();
    expect(keyValidAt(person, KEY_2, at(5))).toBeDefined();
  });

  it('R-PERSON refuses a rotation by someone else who is not a security officer', () => {
    given(p1).when(rotate('clerk1')).thenRefused('R-PERSON', /clerk1 is not a security officer/);
  });

  it('R-PERSON refuses a key another person uses', () => {
    given(p1).when(rotate('p1', CAST_KEY)).thenRefused('R-PERSON', /already used by clerk1/);
  });

  it('R-PERSON refuses going back to a key the person used before', () => {
    const rotated: PersonEvent = { type: 'PersonKeyRotated', data: { personId: 'p1', publicKey: KEY_2, rotatedBy: 'p1' } };
    given([enrolled(), rotated]).when(rotate('p1', KEY_1)).thenRefused('R-PERSON', /already used by p1/);
  });

  it('R-PERSON refuses a rotation for a deactivated person', () => {
    given([enrolled(), deactivated]).when(rotate('officer')).thenRefused('R-PERSON', /p1 is deactivated/);
  });

  it('refuses a rotation for an unknown person as not found', () => {
    given().when(rotate('officer')).thenNotFound('p1');
  });

  it('L-2 a rotation is signed by the rotator and the person, each once', () => {
    expect(signersOfPersonCommand(PersonCommand.parse(rotate('officer')))).toEqual(['officer', 'p1']);
    expect(signersOfPersonCommand(PersonCommand.parse(rotate('p1')))).toEqual(['p1']);
  });
});

describe('key revocation', () => {
  it('R-PERSON lets a person revoke their own key from a moment in the past', () => {
    given(p1).when(revoke('p1')).then([toEvent(revoke('p1'))]);
  });

  it('R-PERSON lets a security officer revoke it, and signatures after revokedFrom no longer count', () => {
    given(p1).when(revoke('officer', at(0))).then([toEvent(revoke('officer', at(0)))]);
    const person = personAfter([{ ...enrolled(), time: at(0) }, { ...toEvent(revoke('officer', at(0))), time: at(1) }]) as Person;
    expect(keyValidAt(person, KEY_1, at(0))).toBeUndefined();
  });

  it('R-PERSON refuses to revoke a key that is not the person\'s', () => {
    given(p1).when(revoke('officer', at(0), KEY_2)).thenRefused('R-PERSON', /is not a key of p1/);
  });

  it('R-PERSON refuses a revocation by someone else who is not a security officer', () => {
    given(p1).when(revoke('clerk1')).thenRefused('R-PERSON', /clerk1 is not a security officer/);
  });

  it('R-PERSON refuses a revocation from the future', () => {
    given(p1).when(revoke('officer', at(7))).thenRefused('R-PERSON', /cannot be revoked from the future/);
  });

  it('R-PERSON refuses moving a revocation later, which would re-validate signatures', () => {
    given([enrolled(), toEvent(revoke('officer', at(0)))])
      .when(revoke('officer', at(1)))
      .thenRefused('R-PERSON', /already revoked from .*only move earlier/);
  });

  it('R-PERSON still allows a revocation after the person was deactivated', () => {
    given([enrolled(), deactivated]).when(revoke('officer', at(1))).then([toEvent(revoke('officer', at(1)))]);
  });

  it('L-2 a revocation is signed by the revoker only', () => {
    expect(signersOfPersonCommand(PersonCommand.parse(revoke('officer')))).toEqual(['officer']);
  });
});

describe('roles and clearance', () => {
  it('R-PERSON lets a security officer change roles', () => {
    given(p1).when(changeRoles('officer')).then([{ type: 'PersonRolesChanged', data: changeRoles('officer').data }]);
  });

  it('R-PERSON refuses a role change by someone who is not a security officer', () => {
    given(p1).when(changeRoles('unitHead')).thenRefused('R-PERSON', /unitHead is not a security officer/);
  });

  it('R-PERSON refuses to change a deactivated person', () => {
    given([enrolled(), deactivated]).when(changeRoles('officer')).thenRefused('R-PERSON', /p1 is deactivated/);
  });

  it('R-HOLD-2 refuses lowering a clearance below what the person holds now, listing the carriers', () => {
    given(p1, holding(['C1', 'secret'], ['C2', 'confidential'], ['C3', 'top-secret']))
      .when(changeClearance('officer', 'confidential'))
      .thenRefused('R-HOLD-2', /p1 still holds C1 \(secret\), C3 \(top-secret\), above confidential/);
  });

  it('R-HOLD-2 allows lowering a clearance to what the person still holds', () => {
    given(p1, holding(['C2', 'confidential']))
      .when(changeClearance('officer', 'confidential'))
      .then([{ type: 'PersonClearanceChanged', data: { personId: 'p1', clearance: 'confidential', changedBy: 'officer' } }]);
  });

  it('R-PERSON refuses a clearance change by someone who is not a security officer', () => {
    given(p1).when(changeClearance('clerk1', 'top-secret')).thenRefused('R-PERSON', /clerk1 is not a security officer/);
  });

  it('R-PERSON a clearance change takes effect in the person state', () => {
    const changed: PersonEvent = { type: 'PersonClearanceChanged', data: { personId: 'p1', clearance: 'top-secret', changedBy: 'officer' } };
    expect(personAfter([enrolled(), changed])).toMatchObject({ clearance: 'top-secret' });
  });
});

describe('deactivation', () => {
  it('R-HOLD-4 refuses to deactivate a person who still holds carriers, listing them', () => {
    given(p1, holding(['C1', 'secret'], ['C2', 'confidential']))
      .when(deactivate('officer'))
      .thenRefused('R-HOLD-4', /p1 still holds C1 \(secret\), C2 \(confidential\)/);
  });

  it('R-HOLD-4 deactivates a person who has handed everything over', () => {
    given(p1).when(deactivate('officer')).then([deactivated]);
    expect(personAfter([enrolled(), deactivated])).toMatchObject({ status: 'deactivated' });
  });

  it('R-PERSON refuses a deactivation by someone who is not a security officer', () => {
    given(p1).when(deactivate('clerk1')).thenRefused('R-PERSON', /clerk1 is not a security officer/);
  });

  it('R-PERSON refuses to deactivate a person twice', () => {
    given([enrolled(), deactivated]).when(deactivate('officer')).thenRefused('R-PERSON', /p1 is deactivated/);
  });

  it('L-2 a deactivation is signed by the officer', () => {
    expect(signersOfPersonCommand(PersonCommand.parse(deactivate('officer')))).toEqual(['officer']);
  });
});

function toEvent(command: { data: ReturnType<typeof revoke>['data'] }): PersonEvent {
  return { type: 'PersonKeyRevoked', data: command.data };
}
