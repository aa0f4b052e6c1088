import { z } from 'zod';
import { Classification, PersonId, PublicKey, Text } from '../primitives.js';
import {
  PersonClearanceChanged,
  PersonDeactivated,
  PersonKeyRevoked,
  PersonKeyRotated,
  PersonRolesChanged,
  Role,
} from './events.js';

//// Commands: what an act asks of a person's stream ////////////////////////
// Most carry exactly their event's data: the act records what was asked, as it was asked.

export const EnrolPerson = z
  .object({
    type: z.literal('EnrolPerson'),
    data: z
      .object({
        personId: PersonId,
        name: Text,
        unit: Text,
        clearance: Classification,
        roles: z.array(Role),
        publicKey: PublicKey,
        /** A security officer; on an empty ledger, the first security officer enrols themself. */
        enrolledBy: PersonId,
      })
      .strict(),
  })
  .strict()
  .describe('Enrol a person: name, unit, clearance, roles and public key');

export const RotatePersonKey = z
  .object({ type: z.literal('RotatePersonKey'), data: PersonKeyRotated.shape.data })
  .strict()
  .describe("Replace a person's signing key with a new one from now on");

export const RevokePersonKey = z
  .object({ type: z.literal('RevokePersonKey'), data: PersonKeyRevoked.shape.data })
  .strict()
  .describe("Revoke a person's key from a given time (a compromised key)");

export const ChangePersonRoles = z
  .object({ type: z.literal('ChangePersonRoles'), data: PersonRolesChanged.shape.data })
  .strict()
  .describe("Replace a person's roles");

export const ChangePersonClearance = z
  .object({ type: z.literal('ChangePersonClearance'), data: PersonClearanceChanged.shape.data })
  .strict()
  .describe("Change a person's clearance");

export const DeactivatePerson = z
  .object({ type: z.literal('DeactivatePerson'), data: PersonDeactivated.shape.data })
  .strict()
  .describe('Deactivate a person: they sign nothing more');

export const PersonCommand = z.discriminatedUnion('type', [
  EnrolPerson,
  RotatePersonKey,
  RevokePersonKey,
  ChangePersonRoles,
  ChangePersonClearance,
  DeactivatePerson,
]);
export type PersonCommand = z.infer<typeof PersonCommand>;
