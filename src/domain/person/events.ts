import { z } from 'zod';
import { Classification, IsoTime, PersonId, PublicKey, RegistryId, Text } from '../primitives.js';

//// Roles //////////////////////////////////////////////////////////////////

/**
 * What a person may do besides holding carriers. Approvers carry their authority (R-COPY-2):
 * a unit head of county/regiment level or above, or the original issuing authority of named
 * originators.
 */
export const Role = z.discriminatedUnion('role', [
  z.object({ role: z.literal('registry-clerk'), registry: RegistryId }).strict(),
  z.object({ role: z.literal('courier') }).strict(),
  z
    .object({
      role: z.literal('approver'),
      authority: z.enum(['unit-head', 'originating-authority']),
      /** For an originating authority: the originators whose carriers it issued. */
      originators: z.array(z.string().min(1).max(200)).min(1).optional(),
    })
    .strict()
    .refine((r) => r.authority !== 'originating-authority' || r.originators !== undefined, {
      message: 'an originating authority names the originators it speaks for',
      path: ['originators'],
    }),
  z.object({ role: z.literal('security-officer') }).strict(),
  z.object({ role: z.literal('investigator') }).strict(),
  z.object({ role: z.literal('leader') }).strict(),
]);
export type Role = z.infer<typeof Role>;
export type RoleName = Role['role'];

//// Keys ///////////////////////////////////////////////////////////////////

/** A key signs for its person from `validFrom` until `validUntil` (rotation) or `revokedFrom`. */
export const KeyRecord = z
  .object({
    publicKey: PublicKey,
    validFrom: IsoTime,
    validUntil: IsoTime.nullable(),
    revokedFrom: IsoTime.nullable(),
  })
  .strict();
export type KeyRecord = z.infer<typeof KeyRecord>;

//// Events /////////////////////////////////////////////////////////////////

export const PersonEnrolled = z
  .object({
    type: z.literal('PersonEnrolled'),
    data: z
      .object({
        personId: PersonId,
        name: Text,
        unit: Text,
        clearance: Classification,
        roles: z.array(Role),
        publicKey: PublicKey,
        enrolledBy: PersonId,
      })
      .strict(),
  })
  .strict();

export const PersonKeyRotated = z
  .object({
    type: z.literal('PersonKeyRotated'),
    data: z.object({ personId: PersonId, publicKey: PublicKey, rotatedBy: PersonId }).strict(),
  })
  .strict();

export const PersonKeyRevoked = z
  .object({
    type: z.literal('PersonKeyRevoked'),
    data: z
      .object({
        personId: PersonId,
        publicKey: PublicKey,
        /** May lie before the act: a key compromised last week is revoked from last week. */
        revokedFrom: IsoTime,
        reason: Text,
        revokedBy: PersonId,
      })
      .strict(),
  })
  .strict();

export const PersonRolesChanged = z
  .object({
    type: z.literal('PersonRolesChanged'),
    data: z.object({ personId: PersonId, roles: z.array(Role), changedBy: PersonId }).strict(),
  })
  .strict();

export const PersonClearanceChanged = z
  .object({
    type: z.literal('PersonClearanceChanged'),
    data: z.object({ personId: PersonId, clearance: Classification, changedBy: PersonId }).strict(),
  })
  .strict();

export const PersonDeactivated = z
  .object({
    type: z.literal('PersonDeactivated'),
    data: z.object({ personId: PersonId, reason: Text, deactivatedBy: PersonId }).strict(),
  })
  .strict();

export const PersonEvent = z.discriminatedUnion('type', [
  PersonEnrolled,
  PersonKeyRotated,
  PersonKeyRevoked,
  PersonRolesChanged,
  PersonClearanceChanged,
  PersonDeactivated,
]);
export type PersonEvent = z.infer<typeof PersonEvent>;
export type PersonEventType = PersonEvent['type'];
