import { z } from 'zod';
import { CarrierId, Hash, IsoTime, Location, PersonId, RegistryId, Text } from '../primitives.js';
import { CarrierDescription, CorrectableFields } from './description.js';

/** `{ type, data }` with both strict: an event is exactly what was signed, nothing more. */
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), data: z.object(shape).strict() }).strict();

const Destination = z
  .object({ registry: RegistryId.nullable(), person: PersonId.nullable() })
  .strict()
  .refine((d) => d.registry !== null || d.person !== null, 'a transport names a recipient registry or person');
export type Destination = z.infer<typeof Destination>;

//// Registration and receipt (R-REG-*) /////////////////////////////////////

export const CarrierRegistered = event('CarrierRegistered', {
  carrierId: CarrierId,
  description: CarrierDescription,
  holder: PersonId,
  location: Location,
  /** The holder took it in for the carrier's registry: any of its clerks may hand it on. */
  atRegistry: z.boolean(),
  registeredBy: PersonId,
});

export const CarrierReceived = event('CarrierReceived', {
  carrierId: CarrierId,
  description: CarrierDescription,
  holder: PersonId,
  location: Location,
  /** The holder took it in for the carrier's registry: any of its clerks may hand it on. */
  atRegistry: z.boolean(),
  receivedBy: PersonId,
  receivedFrom: z.object({ name: Text, personId: PersonId.nullable() }).strict(),
});

/** L-1: a strike-through that references the wrong entry and leaves it readable. */
export const CarrierEventCorrected = event('CarrierEventCorrected', {
  correctsRevision: z.number().int().min(0),
  correctsHash: Hash,
  changes: CorrectableFields,
  reason: Text,
  correctedBy: PersonId,
});

//// Custody (R-HOLD-*, R-INV-2) /////////////////////////////////////////////

export const CustodyTransferred = event('CustodyTransferred', {
  from: PersonId,
  to: PersonId,
  location: Location,
  /** The receiver took it in for the carrier's registry: any of its clerks may hand it on. */
  atRegistry: z.boolean(),
});

export const DutyHandedOver = event('DutyHandedOver', {
  location: Location,
  outgoing: PersonId,
  incoming: PersonId,
});

//// Circulation (R-CIRC-*) /////////////////////////////////////////////////

export const CirculationPurpose = z.enum(['reading', 'leader-instruction']);

export const CirculationOpened = event('CirculationOpened', {
  circulationId: z.string().min(1).max(64),
  readers: z.array(PersonId).min(1),
  purpose: CirculationPurpose,
  urgent: z.boolean(),
  /** How long each reader may keep it (R-CIRC-4). */
  readingHours: z.number().int().min(1),
  openedBy: PersonId,
});

export const CirculationWidened = event('CirculationWidened', {
  circulationId: z.string().min(1).max(64),
  addedReaders: z.array(PersonId).min(1),
  widenedBy: PersonId,
});

export const CarrierIssuedToReader = event('CarrierIssuedToReader', {
  circulationId: z.string().min(1).max(64),
  reader: PersonId,
  issuedBy: PersonId,
  dueBy: IsoTime,
});

export const CarrierReturnedByReader = event('CarrierReturnedByReader', {
  circulationId: z.string().min(1).max(64),
  reader: PersonId,
  /** R-CIRC-3: the reader's full name as signed on return (阅毕签注姓名及时间); the time is the act's. */
  readerName: Text,
  receivedBy: PersonId,
});

export const CirculationClosed = event('CirculationClosed', {
  circulationId: z.string().min(1).max(64),
  closedBy: PersonId,
});

//// Copying (R-COPY-*) /////////////////////////////////////////////////////

export const CopyRequested = event('CopyRequested', {
  requestId: z.string().min(1).max(64),
  copies: z.number().int().min(1).max(1000),
  reason: Text,
  requestedBy: PersonId,
});

export const CopyApproved = event('CopyApproved', {
  requestId: z.string().min(1).max(64),
  copies: z.number().int().min(1).max(1000),
  approvedBy: PersonId,
});

export const CopiesMade = event('CopiesMade', {
  requestId: z.string().min(1).max(64),
  copies: z.array(z.object({ carrierId: CarrierId, copyNumber: z.number().int().min(1) }).strict()).min(1),
  madeBy: PersonId,
});

/** The first event of a copy's own stream: it is a carrier like any other from here on (R-COPY-3). */
export const CopyRegistered = event('CopyRegistered', {
  carrierId: CarrierId,
  parentId: CarrierId,
  requestId: z.string().min(1).max(64),
  description: CarrierDescription,
  holder: PersonId,
  location: Location,
  /** The holder took it in for the carrier's registry: any of its clerks may hand it on. */
  atRegistry: z.boolean(),
  madeBy: PersonId,
});

//// Transport (R-TRANSPORT-*, R-MEDIA-1) ///////////////////////////////////

export const TransportDispatched = event('TransportDispatched', {
  transportId: z.string().min(1).max(64),
  from: PersonId,
  couriers: z.array(PersonId).min(1).max(2),
  destination: Destination,
  leavesPremises: z.boolean(),
  /** R-TRANSPORT-4: the seal number of the container, if it travels sealed. */
  seal: z.string().min(1).max(64).nullable(),
  expectedBy: IsoTime,
  purpose: z.enum(['delivery', 'repair']),
});

export const TransportHandedOver = event('TransportHandedOver', {
  transportId: z.string().min(1).max(64),
  fromCouriers: z.array(PersonId).min(1).max(2),
  toCouriers: z.array(PersonId).min(1).max(2),
});

export const TransportDelivered = event('TransportDelivered', {
  transportId: z.string().min(1).max(64),
  couriers: z.array(PersonId).min(1).max(2),
  receiver: PersonId,
  location: Location,
  /** R-TRANSPORT-4: what the receiver saw; `intact: false` raises an alert for every carrier inside. */
  seal: z.object({ expected: z.string(), seen: z.string().nullable(), intact: z.boolean() }).strict().nullable(),
  atRegistry: z.boolean(),
});

//// Archive loans (R-LOAN-*) ///////////////////////////////////////////////

export const ArchiveLoanIssued = event('ArchiveLoanIssued', {
  loanId: z.string().min(1).max(64),
  borrower: PersonId,
  issuedBy: PersonId,
  approvedBy: PersonId,
  readingRoom: Location,
});

export const ArchiveLoanReturned = event('ArchiveLoanReturned', {
  loanId: z.string().min(1).max(64),
  borrower: PersonId,
  receivedBy: PersonId,
  location: Location,
});

//// Removable media (R-MEDIA-*) ////////////////////////////////////////////

export const MediaExitApproved = event('MediaExitApproved', { approvedBy: PersonId, custodian: PersonId });
export const MediaSanitised = event('MediaSanitised', { sanitisedBy: PersonId, method: Text });
export const MediaRepairApproved = event('MediaRepairApproved', { approvedBy: PersonId, repairer: Text });

//// Inventory (R-INV-1) ////////////////////////////////////////////////////

export const InventoryTaken = event('InventoryTaken', {
  inventoryId: z.string().min(1).max(64),
  location: Location,
  /** false: the ledger placed it here but nobody sighted it (a discrepancy, R-INV-1). */
  sighted: z.boolean(),
  takenBy: z.array(PersonId).min(1),
});

//// Loss (R-LOSS-*) ////////////////////////////////////////////////////////

export const CarrierReportedMissing = event('CarrierReportedMissing', { reportedBy: PersonId, circumstances: Text });
export const CarrierRecovered = event('CarrierRecovered', {
  recoveredBy: PersonId,
  holder: PersonId,
  location: Location,
  /** The holder took it in for the carrier's registry: any of its clerks may hand it on. */
  atRegistry: z.boolean(),
  circumstances: Text,
});
export const CarrierDeclaredLost = event('CarrierDeclaredLost', { declaredBy: PersonId, reason: Text });

//// Destruction (R-DESTROY-*) //////////////////////////////////////////////

export const DestructionRequested = event('DestructionRequested', {
  requestId: z.string().min(1).max(64),
  method: z.string().min(1).max(64),
  reason: Text,
  requestedBy: PersonId,
});
export const DestructionApproved = event('DestructionApproved', {
  requestId: z.string().min(1).max(64),
  approvedBy: PersonId,
});
export const CarrierDestroyed = event('CarrierDestroyed', {
  requestId: z.string().min(1).max(64),
  method: z.string().min(1).max(64),
  destroyedBy: PersonId,
  witness: PersonId,
  location: Location,
});

//// The union //////////////////////////////////////////////////////////////

export const CarrierEvent = z.discriminatedUnion('type', [
  CarrierRegistered,
  CarrierReceived,
  CarrierEventCorrected,
  CustodyTransferred,
  DutyHandedOver,
  CirculationOpened,
  CirculationWidened,
  CarrierIssuedToReader,
  CarrierReturnedByReader,
  CirculationClosed,
  CopyRequested,
  CopyApproved,
  CopiesMade,
  CopyRegistered,
  TransportDispatched,
  TransportHandedOver,
  TransportDelivered,
  ArchiveLoanIssued,
  ArchiveLoanReturned,
  MediaExitApproved,
  MediaSanitised,
  MediaRepairApproved,
  InventoryTaken,
  CarrierReportedMissing,
  CarrierRecovered,
  CarrierDeclaredLost,
  DestructionRequested,
  DestructionApproved,
  CarrierDestroyed,
]);
export type CarrierEvent = z.infer<typeof CarrierEvent>;
export type CarrierEventType = CarrierEvent['type'];
export type CarrierEventOf<T extends CarrierEventType> = Extract<CarrierEvent, { type: T }>;
