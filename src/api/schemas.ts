import { z } from '@hono/zod-openapi';
import { canonicalJson } from '../domain/canonical.js';
import { unsignableNumberIssue } from './json-body.js';
import { ActSignature, UnsignedAct } from '../domain/act.js';
import { CarrierKind } from '../domain/carrier/description.js';
import { KeyRecord, Role } from '../domain/person/events.js';
import { CarrierId, Classification, Hash, IsoTime, Location, PersonId, PublicKey, SignatureBytes, Text } from '../domain/primitives.js';
import { LedgerCommand } from '../ledger/commands.js';
import { AppendedEventRecord, PendingActStatus } from '../inbox/port.js';

/**
 * The API's own schemas: what requests must look like and what responses promise. The domain's
 * schemas (commands, acts, signatures) are used as they are, so a request is parsed by exactly the
 * rules the ledger applies, and /openapi.json is generated from both.
 *
 * `.openapi()` (naming a component) exists only on schemas built after @hono/zod-openapi extended
 * zod, and a domain module may be loaded first: domain schemas are named through a fresh object
 * over their shape (same rules), never by calling `.openapi()` on them.
 */

const Act = z.object(UnsignedAct.shape).strict().openapi('UnsignedAct');
const Signature = z.object(ActSignature.shape).strict().openapi('ActSignature');

//// Requests ////////////////////////////////////////////////////////////////

export const ChallengeRequest = z.object({ personId: PersonId }).strict().openapi('ChallengeRequest');

/** 32 random bytes, base64url. */
const Challenge = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a challenge from POST /auth/challenge');

export const TokenRequest = z
  .object({ personId: PersonId, publicKey: PublicKey, challenge: Challenge, signature: SignatureBytes })
  .strict()
  .openapi('TokenRequest');

export const PrepareRequest = z.object({ command: LedgerCommand }).strict().openapi('PrepareRequest');

/** A signed act whose every value has a canonical form (integers only), so its id can be computed. */
export const SubmitRequest = z
  .object({ act: Act, signatures: z.array(Signature) })
  .strict()
  .superRefine((signed, ctx) => {
    // The body guard (json-body.ts) already refused lone surrogates and deep nesting; what is left is a number.
    const issue = unsignableNumberIssue(signed.act, ['act']);
    if (issue) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return;
    }
    try {
      canonicalJson(signed.act);
    } catch {
      // Never the serialiser's own words: they may be an engine's (a stack overflow), not ours.
      ctx.addIssue({ code: 'custom', path: ['act'], message: 'the act has no canonical form (RFC 8785, integers only)' });
    }
  })
  .openapi('SignedAct');

export const SignatureRequest = Signature;

export const DeclineRequest = z.object({ reason: Text }).strict().openapi('DeclineRequest');

export const ActIdParams = z.object({ actId: Hash });
export const CarrierParams = z.object({ id: CarrierId });
export const PersonParams = z.object({ id: PersonId });

export const CARRIER_STATUSES = ['held', 'in-transit', 'on-loan', 'missing', 'lost', 'destroyed'] as const;

export const CarrierQuery = z
  .object({
    holder: PersonId.optional(),
    location: Location.optional(),
    status: z.enum(CARRIER_STATUSES).optional(),
    classification: Classification.optional(),
    kind: CarrierKind.optional(),
    // Decimal digits only: a coerced number would take 0x10, 1e1 and " 16" as well.
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,2}$/, 'a whole number from 1 to 500, in decimal digits')
      .transform(Number)
      .pipe(z.number().max(500, 'a whole number from 1 to 500, in decimal digits'))
      .default(50)
      .openapi({ type: 'integer', minimum: 1, maximum: 500, default: 50 }),
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'a nextCursor from a previous page').optional(),
  })
  .strict();

//// Responses ///////////////////////////////////////////////////////////////

export const Health = z.object({ status: z.literal('ok') }).openapi('Health');
export const Ready = z.object({ ready: z.literal(true), position: z.string() }).openapi('Ready');
export const LedgerInfo = z.object({ ledgerId: z.string(), publicKey: PublicKey.nullable() }).openapi('Ledger');
export const ChallengeResponse = z
  .object({ challenge: Challenge, expiresAt: IsoTime, ledgerId: z.string() })
  .openapi('Challenge');
export const TokenResponse = z.object({ token: z.string(), expiresAt: IsoTime }).openapi('Token');

export const PrepareResponse = z
  .object({ actId: Hash, act: Act, signers: z.array(PersonId) })
  .openapi('PreparedAct');

export const AppendedResponse = z
  .object({ status: z.literal('appended'), actId: Hash, events: z.array(AppendedEventRecord), alreadyRecorded: z.boolean().optional() })
  .openapi('ActAppended');
export const PendingResponse = z
  .object({ status: z.literal('pending'), actId: Hash, missing: z.array(PersonId), expiresAt: IsoTime })
  .openapi('ActPending');

export const ActView = z
  .object({
    actId: Hash,
    status: PendingActStatus,
    act: Act,
    signatures: z.array(Signature),
    missing: z.array(PersonId),
    expiresAt: IsoTime,
    requestedBy: PersonId,
    declinedBy: PersonId.optional(),
    reason: Text.optional(),
    events: z.array(AppendedEventRecord).optional(),
  })
  .openapi('Act');
export const DeclinedResponse = z.object({ status: z.literal('declined'), actId: Hash }).openapi('ActDeclined');

export const InboxItem = z.object({
  actId: Hash,
  summary: z.string().openapi({ example: 'receive carrier C1 from clerk1' }),
  command: z.string(),
  carriers: z.array(CarrierId),
  requestedBy: PersonId,
  missing: z.array(PersonId),
  expiresAt: IsoTime,
  act: Act,
});
export const InboxResponse = z.object({ items: z.array(InboxItem) }).openapi('Inbox');

const CirculationView = z.object({
  id: z.string(),
  readers: z.array(PersonId),
  purpose: z.enum(['reading', 'leader-instruction']),
  urgent: z.boolean(),
  readingHours: z.number().int(),
  reader: PersonId.nullable(),
  dueBy: IsoTime.nullable(),
  returnedBy: z.array(PersonId),
});

const TransportView = z.object({
  transportId: z.string(),
  from: PersonId,
  couriers: z.array(PersonId),
  destination: z.object({ registry: z.string().nullable(), person: PersonId.nullable() }),
  leavesPremises: z.boolean(),
  seal: z.string().nullable(),
  expectedBy: IsoTime,
  purpose: z.enum(['delivery', 'repair']),
});

export const CarrierView = z
  .object({
    id: CarrierId,
    status: z.enum(CARRIER_STATUSES),
    kind: CarrierKind,
    classification: Classification,
    title: z.string(),
    registry: z.string(),
    reference: z.string(),
    originator: z.string(),
    copyNumber: z.number().int(),
    holders: z.array(PersonId),
    location: z.string(),
    since: IsoTime,
    atRegistry: z.boolean(),
    registeredAt: IsoTime,
    registeredBy: PersonId,
    parentId: CarrierId.nullable(),
    copies: z.array(CarrierId),
    circulation: CirculationView.nullable(),
    transport: TransportView.nullable(),
    /** Revision of the carrier's last event. */
    revision: z.number().int(),
  })
  .openapi('Carrier');
export type CarrierView = z.infer<typeof CarrierView>;

export const CarrierList = z
  .object({ items: z.array(CarrierView), nextCursor: z.string().nullable() })
  .openapi('CarrierList');

export const HistoryItem = z.object({
  revision: z.number().int(),
  type: z.string(),
  /** When the act took effect: its last required signature (its prepared time for v1 signatures). */
  time: IsoTime,
  /** When the act was prepared (the act's own `time`). */
  preparedAt: IsoTime,
  /** Which rule gave `time`: the last signer's time, or (signatures without times, older ledgers) the prepared time. */
  effectiveBy: z.enum(['last-signature', 'prepared-time']),
  /** When the ledger appended it; null for events appended before appends were timed. */
  recordedAt: IsoTime.nullable(),
  data: z.record(z.string(), z.unknown()),
  signers: z.array(PersonId),
  signatures: z.array(Signature),
  actId: Hash,
  hash: Hash,
  prevHash: Hash.nullable(),
});
export const HistoryResponse = z.object({ items: z.array(HistoryItem) }).openapi('CarrierHistory');

export const PersonView = z
  .object({
    id: PersonId,
    name: z.string(),
    unit: z.string(),
    clearance: Classification,
    roles: z.array(Role),
    status: z.enum(['active', 'deactivated']),
    keys: z.array(KeyRecord),
    enrolledAt: IsoTime,
  })
  .openapi('Person');
export const PersonsResponse = z.object({ items: z.array(PersonView) }).openapi('Persons');
export const HoldingsResponse = z.object({ items: z.array(CarrierView) }).openapi('Holdings');
