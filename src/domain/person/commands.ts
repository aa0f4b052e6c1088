import { z } from 'zod';
import { Classification, IsoTime, PersonId, PublicKey, Text } from '../primitives.js';
import { Role } from './events.js';

//// Commands: what an act asks of a person's stream ////////////////////////

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
  .strict();

export const RotatePersonKey = z
  .object({
    type: z.literal('RotatePersonKey'),
    data: z.object({ personId: PersonId, publicKey: PublicKey, rotatedBy: PersonId }).strict(),
  })
  .strict();

export const RevokePersonKey = z
  .object({
    type: z.literal('RevokePersonKey'),
    data: z
      .object({ personId: PersonId, publicKey: PublicKey, revokedFrom: IsoTime, reason: Text, revokedBy: PersonId })
      .strict(),
  })
  .strict();

export const ChangePersonRoles = z
  .object({
    type: z.literal('ChangePersonRoles'),
    data: z.object({ personId: PersonId, roles: z.array(Role), changedBy: PersonId }).strict(),
  })
  .strict();

export const ChangePersonClearance = z
  .object({
    type: z.literal('ChangePersonClearance'),
    data: z.object({ personId: PersonId, clearance: Classification, changedBy: PersonId }).strict(),
  })
  .strict();

export const DeactivatePerson = z
  .object({
    type: z.literal('DeactivatePerson'),
    data: z.object({ personId: PersonId, reason: Text, deactivatedBy: PersonId }).strict(),
  })
  .strict();

export const PersonCommand = z.discriminatedUnion('type', [
  EnrolPerson,
  RotatePersonKey,
  RevokePersonKey,
  ChangePersonRoles,
  ChangePersonClearance,
  DeactivatePerson,
]);
export type PersonCommand = z.infer<typeof PersonCommand>;
