import { z } from 'zod';
import { CarrierId, Hash, IsoTime, Location, PersonId, RegistryId, Text } from '../primitives.js';
import { CarrierDescriptionInput, CorrectableFields, DESTRUCTION_METHODS } from './description.js';
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
}).describe('Enter a carrier in the registry book: what it is, who holds it, where (R-REG-1)');

export const ReceiveCarrier = command('ReceiveCarrier', {
  carrierId: CarrierId,
  description: CarrierDescriptionInput,
  holder: PersonId,
  location: Location,
  receivedBy: PersonId,
  receivedFrom: z.object({ name: Text, personId: PersonId.nullable().default(null) }).strict(),
}).describe('Register a carrier received from outside, signed for by the receiver (R-REG-2)');

export const CorrectCarrierEvent = command('CorrectCarrierEvent', {
  carrierId: CarrierId,
  correctsRevision: z.number().int().min(0),
  correctsHash: Hash,
  changes: CorrectableFields,
  reason: Text,
  correctedBy: PersonId,
}).describe("Correct the registry's descriptive entries of an earlier event, with a reason (L-1)");

//// Custody ////////////////////////////////////////////////////////////////

export const TransferCustody = command('TransferCustody', {
  carrierId: CarrierId,
  giver: PersonId,
  receiver: PersonId,
  location: Location,
}).describe('Hand a carrier from one holder to another, both signing (R-HOLD-3)');

export const HandOverDuty = command('HandOverDuty', {
  carrierIds: CarrierIds,
  location: Location,
  outgoing: PersonId,
  incoming: PersonId,
}).describe('Hand over every carrier at a location from the outgoing to the incoming duty officer (R-INV-2)');

//// Circulation ////////////////////////////////////////////////////////////

export const OpenCirculation = command('OpenCirculation', {
  carrierId: CarrierId,
  circulationId: ActId,
  readers: PersonIds,
  purpose: CirculationPurpose.default('reading'),
  urgent: z.boolean().default(false),
  /** Defaults to the policy's limit (R-CIRC-4): 2 days, or 4 hours when urgent. */
  readingHours: z.number().int().min(1).optional().describe("How long each reader may keep it; the policy's limit when left out (R-CIRC-4)"),
  openedBy: PersonId,
}).describe('Open a circulation of a carrier to a list of readers (R-CIRC-1, R-CIRC-2)');

export const WidenCirculation = command('WidenCirculation', {
  carrierId: CarrierId,
  circulationId: ActId,
  readers: PersonIds,
  widenedBy: PersonId,
}).describe("Add readers to an open circulation's reader list (R-CIRC-2)");

export const IssueToReader = command('IssueToReader', {
  carrierId: CarrierId,
  circulationId: ActId,
  reader: PersonId,
  issuedBy: PersonId,
}).describe('Issue a circulated carrier to one reader on the list (R-CIRC-1)');

export const ReturnFromReader = command('ReturnFromReader', {
  carrierId: CarrierId,
  circulationId: ActId,
  reader: PersonId,
  readerName: Text,
  receivedBy: PersonId,
}).describe('Take a circulated carrier back from its reader, who signs with full name (R-CIRC-3)');

export const CloseCirculation = command('CloseCirculation', {
  carrierId: CarrierId,
  circulationId: ActId,
  closedBy: PersonId,
}).describe('Close a circulation once the carrier is back at the registry');

//// Copying ////////////////////////////////////////////////////////////////

export const RequestCopies = command('RequestCopies', {
  carrierId: CarrierId,
  requestId: ActId,
  copies: z.number().int().min(1).max(1000),
  reason: Text,
  requestedBy: PersonId,
}).describe('Ask for approval to make copies of a carrier (R-COPY-1)');

export const ApproveCopies = command('ApproveCopies', {
  carrierId: CarrierId,
  requestId: ActId,
  /** Defaults to the number requested; an approver may allow fewer, never more. */
  copies: z.number().int().min(1).max(1000).optional().describe('How many copies are approved: the number requested when left out, never more'),
  approvedBy: PersonId,
}).describe('Approve a copy request, for at most the number asked (R-COPY-2, R-COPY-3)');

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
}).describe('Record the copies made under an approval, each a new numbered carrier (R-COPY-3)');

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
  seal: z.string().min(1).max(64).nullable().default(null).describe('The seal number on the container, if sealed (R-TRANSPORT-4)'),
  /** Defaults to the policy's transport time (R-TRANSPORT-5). */
  expectedBy: IsoTime.optional().describe("When it must arrive; the policy's transport time when left out (R-TRANSPORT-5)"),
  purpose: z.enum(['delivery', 'repair']).default('delivery'),
}).describe('Send carriers with one or two couriers to a registry or a person (R-TRANSPORT-1, R-TRANSPORT-2)');

export const HandOverInTransit = command('HandOverInTransit', {
  carrierIds: CarrierIds,
  transportId: ActId,
  fromCouriers: PersonIds.pipe(z.array(PersonId).max(2)),
  toCouriers: PersonIds.pipe(z.array(PersonId).max(2)),
}).describe('Hand carriers in transit from one pair of couriers to another');

export const DeliverTransport = command('DeliverTransport', {
  carrierIds: CarrierIds,
  transportId: ActId,
  couriers: PersonIds.pipe(z.array(PersonId).max(2)),
  receiver: PersonId,
  location: Location,
  /** The seal number the receiver found; null when it arrived with no seal or none was used. */
  sealSeen: z.string().min(1).max(64).nullable().default(null).describe('The seal number the receiver found; null when none'),
  /** The receiver's attestation that the seal arrived unbroken. */
  sealIntact: z.boolean().default(true).describe('Whether the seal arrived unbroken'),
}).describe('Deliver a transport: the receiver signs for it with the couriers (R-TRANSPORT-3)');

//// Archive loans //////////////////////////////////////////////////////////

export const IssueArchiveLoan = command('IssueArchiveLoan', {
  carrierId: CarrierId,
  loanId: ActId,
  borrower: PersonId,
  issuedBy: PersonId,
  approvedBy: PersonId,
  readingRoom: Location,
}).describe('Lend archive material into the reading room, with approval (R-LOAN-1, R-LOAN-2)');

export const ReturnArchiveLoan = command('ReturnArchiveLoan', {
  carrierId: CarrierId,
  loanId: ActId,
  borrower: PersonId,
  receivedBy: PersonId,
  location: Location,
}).describe('Take a loan of archive material back');

//// Removable media ////////////////////////////////////////////////////////

export const ApproveMediaExit = command('ApproveMediaExit', {
  carrierId: CarrierId,
  approvedBy: PersonId,
  custodian: PersonId,
}).describe('Approve a disk leaving the premises, naming its custodian (R-MEDIA-1)');

export const RecordSanitisation = command('RecordSanitisation', {
  carrierId: CarrierId,
  sanitisedBy: PersonId,
  method: Text,
}).describe('Record that classified content was removed from a disk, and how (R-MEDIA-2)');

export const ApproveMediaRepair = command('ApproveMediaRepair', {
  carrierId: CarrierId,
  approvedBy: PersonId,
  repairer: Text,
}).describe('Approve a sanitised disk going out for repair (R-MEDIA-2)');

//// Inventory //////////////////////////////////////////////////////////////

export const TakeInventory = command('TakeInventory', {
  inventoryId: ActId,
  location: Location,
  sighted: z.array(CarrierId),
  /** Carriers the ledger places here that nobody sighted. */
  notSighted: z.array(CarrierId).describe('Carriers the ledger places here that nobody sighted'),
  takenBy: PersonIds,
}).describe('Record an inventory at a location: what was sighted and what was not (R-INV-1)');

//// Loss ///////////////////////////////////////////////////////////////////

export const ReportMissing = command('ReportMissing', {
  carrierId: CarrierId,
  reportedBy: PersonId,
  circumstances: Text,
}).describe('Report a carrier missing, at once (R-LOSS-1)');

export const RecoverCarrier = command('RecoverCarrier', {
  carrierId: CarrierId,
  recoveredBy: PersonId,
  holder: PersonId,
  location: Location,
  circumstances: Text,
}).describe('Record that a missing carrier was found, by whom and where (R-LOSS-2)');

export const DeclareLost = command('DeclareLost', {
  carrierId: CarrierId,
  declaredBy: PersonId,
  reason: Text,
}).describe('Conclude a missing case: the carrier is lost (R-LOSS-2)');

//// Destruction ////////////////////////////////////////////////////////////

export const RequestDestruction = command('RequestDestruction', {
  carrierIds: CarrierIds,
  requestId: ActId,
  /** Checked by decide, not here, so that "sold as waste paper" is refused naming R-DESTROY-3. */
  method: z.string().min(1).max(64).describe(`One of ${DESTRUCTION_METHODS.join(', ')} (R-DESTROY-3)`),
  reason: Text,
  requestedBy: PersonId,
}).describe('Ask for carriers to be destroyed, naming the method (R-DESTROY-1, R-DESTROY-3)');

export const ApproveDestruction = command('ApproveDestruction', {
  carrierIds: CarrierIds,
  requestId: ActId,
  approvedBy: PersonId,
}).describe('Approve a destruction request (R-DESTROY-1)');

export const DestroyCarriers = command('DestroyCarriers', {
  carrierIds: CarrierIds,
  requestId: ActId,
  destroyedBy: PersonId,
  witness: PersonId,
  location: Location,
}).describe('Record the destruction, supervised by an independent witness (R-DESTROY-1, R-DESTROY-4)');

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
