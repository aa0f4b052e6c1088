import { NotFound, require } from '../errors.js';
import { clearedFor, type Classification, type IsoTime, type PersonId, type PublicKey } from '../primitives.js';
import type { PersonCommand } from './commands.js';
import type { PersonEvent } from './events.js';
import { hasRole, type Person, type PersonDirectory, type PersonState } from './state.js';

/** What deciding about a person needs besides their own stream: all of it passed in, so decide stays pure. */
export type PersonContext = {
  /** The act's time. */
  now: IsoTime;
  persons: PersonDirectory;
  /** What the person holds right now, from the carriers' projection (R-HOLD-2, R-HOLD-4). */
  holdingsOf: (personId: string) => Array<{ carrierId: string; classification: Classification }>;
};

type CommandOf<T extends PersonCommand['type']> = Extract<PersonCommand, { type: T }>;

//// Guards ///////////////////////////////////////////////////////////////////

function activeSecurityOfficer(ctx: PersonContext, id: PersonId): Person {
  const person = ctx.persons.get(id);
  require(person && person.status === 'active', 'R-PERSON', `${id} is not an enrolled, active person`);
  require(hasRole(person, 'security-officer'), 'R-PERSON', `${id} is not a security officer`);
  return person;
}

/** The person the command is about: unknown is "not found"; deactivated people are closed to change. */
function enrolled(state: PersonState, personId: PersonId): Person {
  if (state.status === 'none') throw new NotFound('person', personId);
  return state;
}

function active(state: PersonState, personId: PersonId): Person {
  const person = enrolled(state, personId);
  require(person.status === 'active', 'R-PERSON', `${personId} is deactivated; only a key revocation may still follow`);
  return person;
}

/** A key signs for one person only, ever: otherwise a signature could not say whose act it records (L-2). */
function requireUnusedKey(ctx: PersonContext, subject: PersonState, publicKey: PublicKey): void {
  const everyone = [...ctx.persons.values(), ...(subject.status === 'none' ? [] : [subject])];
  const owner = everyone.find((p) => p.keys.some((k) => k.publicKey === publicKey));
  require(owner === undefined, 'R-PERSON', `public key ${publicKey} is already used by ${owner?.id}; a key is never reused`);
}

/** The person themself, or an active security officer acting for them. */
function selfOrSecurityOfficer(ctx: PersonContext, personId: PersonId, actor: PersonId): void {
  if (actor !== personId) activeSecurityOfficer(ctx, actor);
}

function describeHoldings(holdings: Array<{ carrierId: string; classification: Classification }>): string {
  return holdings.map((h) => `${h.carrierId} (${h.classification})`).join(', ');
}

//// Deciders /////////////////////////////////////////////////////////////////

function enrol(command: CommandOf<'EnrolPerson'>, state: PersonState, ctx: PersonContext): PersonEvent[] {
  const d = command.data;
  require(state.status === 'none', 'R-PERSON', `${d.personId} is already enrolled`);
  if (ctx.persons.size === 0) {
    // Someone has to be first: the founding security officer vouches for themself, and from then on
    // every enrolment is vouched for by a security officer already in the ledger.
    require(d.enrolledBy === d.personId, 'R-PERSON', `the ledger is empty: the first person must enrol themself, not be enrolled by ${d.enrolledBy}`);
    require(
      d.roles.some((r) => r.role === 'security-officer'),
      'R-PERSON',
      `the first person enrolled must be a security officer; ${d.personId} is not`,
    );
  } else {
    activeSecurityOfficer(ctx, d.enrolledBy);
  }
  requireUnusedKey(ctx, state, d.publicKey);
  return [{ type: 'PersonEnrolled', data: d }];
}

function rotateKey(command: CommandOf<'RotatePersonKey'>, state: PersonState, ctx: PersonContext): PersonEvent[] {
  const { personId, publicKey, rotatedBy } = command.data;
  active(state, personId);
  selfOrSecurityOfficer(ctx, personId, rotatedBy);
  requireUnusedKey(ctx, state, publicKey);
  return [{ type: 'PersonKeyRotated', data: { personId, publicKey, rotatedBy } }];
}

function revokeKey(command: CommandOf<'RevokePersonKey'>, state: PersonState, ctx: PersonContext): PersonEvent[] {
  const { personId, publicKey, revokedFrom, revokedBy } = command.data;
  // Revocation only ever takes power away, so it stays possible after deactivation.
  const person = enrolled(state, personId);
  const key = person.keys.find((k) => k.publicKey === publicKey);
  require(key, 'R-PERSON', `public key ${publicKey} is not a key of ${personId}`);
  selfOrSecurityOfficer(ctx, personId, revokedBy);
  require(revokedFrom <= ctx.now, 'R-PERSON', `a key cannot be revoked from the future (${revokedFrom} is after ${ctx.now})`);
  // A later revocation would silently re-validate signatures made in between.
  require(
    key.revokedFrom === null || revokedFrom < key.revokedFrom,
    'R-PERSON',
    `public key ${publicKey} of ${personId} is already revoked from ${key.revokedFrom}; a revocation may only move earlier`,
  );
  return [{ type: 'PersonKeyRevoked', data: command.data }];
}

function changeRoles(command: CommandOf<'ChangePersonRoles'>, state: PersonState, ctx: PersonContext): PersonEvent[] {
  const { personId, roles, changedBy } = command.data;
  active(state, personId);
  activeSecurityOfficer(ctx, changedBy);
  return [{ type: 'PersonRolesChanged', data: { personId, roles, changedBy } }];
}

function changeClearance(
  command: CommandOf<'ChangePersonClearance'>,
  state: PersonState,
  ctx: PersonContext,
): PersonEvent[] {
  const { personId, clearance, changedBy } = command.data;
  active(state, personId);
  activeSecurityOfficer(ctx, changedBy);
  const above = ctx.holdingsOf(personId).filter((h) => !clearedFor(clearance, h.classification));
  require(
    above.length === 0,
    'R-HOLD-2',
    `${personId} still holds ${describeHoldings(above)}, above ${clearance}; they must hand them over before the clearance is lowered`,
  );
  return [{ type: 'PersonClearanceChanged', data: { personId, clearance, changedBy } }];
}

function deactivate(command: CommandOf<'DeactivatePerson'>, state: PersonState, ctx: PersonContext): PersonEvent[] {
  const { personId, reason, deactivatedBy } = command.data;
  active(state, personId);
  activeSecurityOfficer(ctx, deactivatedBy);
  const holdings = ctx.holdingsOf(personId);
  require(
    holdings.length === 0,
    'R-HOLD-4',
    `${personId} still holds ${describeHoldings(holdings)}; every carrier goes to a designated receiver before deactivation`,
  );
  return [{ type: 'PersonDeactivated', data: { personId, reason, deactivatedBy } }];
}

/**
 * decidePerson(command, state, context) → events for the person's stream, or a thrown RuleViolation.
 * `state` is the person the command is about; everyone else (the actor included) is in `ctx.persons`.
 */
export function decidePerson(command: PersonCommand, state: PersonState, ctx: PersonContext): PersonEvent[] {
  switch (command.type) {
    case 'EnrolPerson':
      return enrol(command, state, ctx);
    case 'RotatePersonKey':
      return rotateKey(command, state, ctx);
    case 'RevokePersonKey':
      return revokeKey(command, state, ctx);
    case 'ChangePersonRoles':
      return changeRoles(command, state, ctx);
    case 'ChangePersonClearance':
      return changeClearance(command, state, ctx);
    case 'DeactivatePerson':
      return deactivate(command, state, ctx);
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

/** Everyone whose act the command records, each once: each must sign it (L-2). */
export function signersOfPersonCommand(command: PersonCommand): PersonId[] {
  const signers = ((): PersonId[] => {
    switch (command.type) {
      case 'EnrolPerson':
        // The enrollee signs too: proof they hold the private half of the key being enrolled.
        return [command.data.enrolledBy, command.data.personId];
      case 'RotatePersonKey':
        return [command.data.rotatedBy, command.data.personId];
      case 'RevokePersonKey':
        return [command.data.revokedBy];
      case 'ChangePersonRoles':
      case 'ChangePersonClearance':
        return [command.data.changedBy];
      case 'DeactivatePerson':
        return [command.data.deactivatedBy];
      default: {
        const unhandled: never = command;
        return unhandled;
      }
    }
  })();
  return [...new Set(signers)];
}
