import { z } from 'zod';
import { CarrierId, Hash, IsoTime, Location, PersonId, RegistryId, Text } from '../primitives.js';
import { CarrierDescriptionInput, CorrectableFields } from './description.js';
import { CirculationPurpose } from './events.js';

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), data: z.object(shape).strict() }).strict();

const ActId = z.string().min(1).max(64);
/** R-BATCH-1: one act over many carriers. The policy caps how many. */
const CarrierIds = z
  .array(CarrierId)
  .min(1)
  .refine((ids) => new Set(ids).size === ids.length, 'each carrier once');
const PersonIds = z
  .array(PersonId)
  .min(1)
  .refine((ids) => new Set(ids).size === ids.length, 'each person once');

//// Registration and receipt ///////////////////////////////////////////////

export const RegisterCarrier = command('RegisterCarrier', {
  carrierId: CarrierId,
  description: CarrierDescriptionInput,
  holder: PersonId,
  location: Location,
  registeredBy: PersonId,
});

export const ReceiveCarrier = command('ReceiveCarrier', {
  carrierId: CarrierId,
  description: CarrierDescriptionInput,
  holder: PersonId,
  location: Location,
  receivedBy: PersonId,
  receivedFrom: z.object({ name: Text, personId: PersonId.nullable().default(null) }).strict(),
});

export const CorrectCarrierEvent = command('CorrectCarrierEvent', {
  carrierId: CarrierId,
  correctsRevision: z.number().int().min(0),
  correctsHash: Hash,
  changes: CorrectableFields,
  reason: Text,
  correctedBy: PersonId,
});

//// Custody ////////////////////////////////////////////////////////////////

export const TransferCustody = command('TransferCustody', {
  carrierId: CarrierId,
  giver: PersonId,
  receiver: PersonId,
  location: Location,
});

export const HandOverDuty = command('HandOverDuty', {
  carrierIds: CarrierIds,
  location: Location,
  outgoing: PersonId,
  incoming: PersonId,
});

//// Circulation ////////////////////////////////////////////////////////////

export const OpenCirculation = command('OpenCirculation', {
  carrierId: CarrierId,
  circulationId: ActId,
  readers: PersonIds,
  purpose: CirculationPurpose.default('reading'),
  urgent: z.boolean().default(false),
  /** Defaults to the policy's limit (R-CIRC-4): 2 days, or 4 hours when urgent. */
  readingHours: z.number().int().min(1).optional(),
  openedBy: PersonId,
});

export const WidenCirculation = command('WidenCirculation', {
  carrierId: CarrierId,
  circulationId: ActId,
  readers: PersonIds,
  widenedBy: PersonId,
});

export const IssueToReader = command('IssueToReader', {
  carrierId: CarrierId,
  circulationId: ActId,
  reader: PersonId,
  issuedBy: PersonId,
});

export const ReturnFromReader = command('ReturnFromReader', {
  carrierId: CarrierId,
  circulationId: ActId,
  reader: PersonId,
  readerName: Text,
  receivedBy: PersonId,
});

export const CloseCirculation = command('CloseCirculation', {
  carrierId: CarrierId,
  circulationId: ActId,
  closedBy: PersonId,
});

//// Copying ////////////////////////////////////////////////////////////////

export const RequestCopies = command('RequestCopies', {
  carrierId: CarrierId,
  requestId: ActId,
  copies: z.number().int().min(1).max(1000),
  reason: Text,
  requestedBy: PersonId,
});

export const ApproveCopies = command('ApproveCopies', {
  carrierId: CarrierId,
  requestId: ActId,
  /** Defaults to the number requested; an approver may allow fewer, never more. */
  copies: z.number().int().min(1).max(1000).optional(),
  approvedBy: PersonId,
});

export const MakeCopies = command('MakeCopies', {
  carrierId: CarrierId,
  requestId: ActId,
  copies: z
    .array(z.object({ carrierId: CarrierId, copyNumber: z.number().int().min(1) }).strict())
    .min(1)
    .max(1000),
  holder: PersonId,
  location: Location,
  madeBy: PersonId,
});

//// Transport //////////////////////////////////////////////////////////////

export const DispatchTransport = command('DispatchTransport', {
  carrierIds: CarrierIds,
  transportId: ActId,
  giver: PersonId,
  couriers: PersonIds.pipe(z.array(PersonId).max(2)),
  destination: z
    .object({ registry: RegistryId.nullable().default(null), person: PersonId.nullable().default(null) })
    .strict(),
  leavesPremises: z.boolean(),
  seal: z.string().min(1).max(64).nullable().default(null),
  /** Defaults to the policy's transport time (R-TRANSPORT-5). */
  expectedBy: IsoTime.optional(),
  purpose: z.enum(['delivery', 'repair']).default('delivery'),
});

export const HandOverInTransit = command('HandOverInTransit', {
  carrierIds: CarrierIds,
  transportId: ActId,
  fromCouriers: PersonIds.pipe(z.array(PersonId).max(2)),
  toCouriers: PersonIds.pipe(z.array(PersonId).max(2)),
});

export const DeliverTransport = command('DeliverTransport', {
  carrierIds: CarrierIds,
  transportId: ActId,
  couriers: PersonIds.pipe(z.array(PersonId).max(2)),
  receiver: PersonId,
  location: Location,
  /** The seal number the receiver found; null when it arrived with no seal or none was used. */
  sealSeen: z.string().min(1).max(64).nullable().default(null),
  /** The receiver's attestation that the seal arrived unbroken. */
  sealIntact: z.boolean().default(true),
});

//// Archive loans //////////////////////////////////////////////////////////

export const IssueArchiveLoan = command('IssueArchiveLoan', {
  carrierId: CarrierId,
  loanId: ActId,
  borrower: PersonId,
  issuedBy: PersonId,
  approvedBy: PersonId,
  readingRoom: Location,
});

export const ReturnArchiveLoan = command('ReturnArchiveLoan', {
  carrierId: CarrierId,
  loanId: ActId,
  borrower: PersonId,
  receivedBy: PersonId,
  location: Location,
});

//// Removable media ////////////////////////////////////////////////////////

export const ApproveMediaExit = command('ApproveMediaExit', {
  carrierId: CarrierId,
  approvedBy: PersonId,
  custodian: PersonId,
});

export const RecordSanitisation = command('RecordSanitisation', {
  carrierId: CarrierId,
  sanitisedBy: PersonId,
  method: Text,
});

export const ApproveMediaRepair = command('ApproveMediaRepair', {
  carrierId: CarrierId,
  approvedBy: PersonId,
  repairer: Text,
});

//// Inventory //////////////////////////////////////////////////////////////

export const TakeInventory = command('TakeInventory', {
  inventoryId: ActId,
  location: Location,
  sighted: z.array(CarrierId),
  /** Carriers the ledger places here that nobody sighted. */
  notSighted: z.array(CarrierId),
  takenBy: PersonIds,
});

//// Loss ///////////////////////////////////////////////////////////////////

export const ReportMissing = command('ReportMissing', {
  carrierId: CarrierId,
  reportedBy: PersonId,
  circumstances: Text,
});

export const RecoverCarrier = command('RecoverCarrier', {
  carrierId: CarrierId,
  recoveredBy: PersonId,
  holder: PersonId,
  location: Location,
  circumstances: Text,
});

export const DeclareLost = command('DeclareLost', {
  carrierId: CarrierId,
  declaredBy: PersonId,
  reason: Text,
});

//// Destruction ////////////////////////////////////////////////////////////

export const RequestDestruction = command('RequestDestruction', {
  carrierIds: CarrierIds,
  requestId: ActId,
  /** Checked by decide, not here, so that "sold as waste paper" is refused naming R-DESTROY-3. */
  method: z.string().min(1).max(64),
  reason: Text,
  requestedBy: PersonId,
});

export const ApproveDestruction = command('ApproveDestruction', {
  carrierIds: CarrierIds,
  requestId: ActId,
  approvedBy: PersonId,
});

export const DestroyCarriers = command('DestroyCarriers', {
  carrierIds: CarrierIds,
  requestId: ActId,
  destroyedBy: PersonId,
  witness: PersonId,
  location: Location,
});

//// The union //////////////////////////////////////////////////////////////

export const CarrierCommand = z.discriminatedUnion('type', [
  RegisterCarrier,
  ReceiveCarrier,
  CorrectCarrierEvent,
  TransferCustody,
  HandOverDuty,
  OpenCirculation,
  WidenCirculation,
  IssueToReader,
  ReturnFromReader,
  CloseCirculation,
  RequestCopies,
  ApproveCopies,
  MakeCopies,
  DispatchTransport,
  HandOverInTransit,
  DeliverTransport,
  IssueArchiveLoan,
  ReturnArchiveLoan,
  ApproveMediaExit,
  RecordSanitisation,
  ApproveMediaRepair,
  TakeInventory,
  ReportMissing,
  RecoverCarrier,
  DeclareLost,
  RequestDestruction,
  ApproveDestruction,
  DestroyCarriers,
]);
/** A command as parsed: defaults applied. */
export type CarrierCommand = z.infer<typeof CarrierCommand>;
/** A command as a client may write it: defaults omitted. */
export type CarrierCommandInput = z.input<typeof CarrierCommand>;
export type CarrierCommandType = CarrierCommand['type'];
export type CarrierCommandOf<T extends CarrierCommandType> = Extract<CarrierCommand, { type: T }>;
