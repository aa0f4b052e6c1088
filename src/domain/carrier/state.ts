import type { CarrierId, IsoTime, PersonId } from '../primitives.js';
import type { CarrierDescription } from './description.js';
import type { CarrierEventOf, Destination } from './events.js';

export type CarrierStatus = 'held' | 'in-transit' | 'on-loan' | 'missing' | 'lost' | 'destroyed';

export type Circulation = {
  id: string;
  readers: PersonId[];
  purpose: 'reading' | 'leader-instruction';
  urgent: boolean;
  readingHours: number;
  /** The reader who has it now, or null while it is back at the registry. */
  reader: PersonId | null;
  dueBy: IsoTime | null;
  returnedBy: PersonId[];
};

export type CopyRequest = {
  requestedBy: PersonId;
  requested: number;
  approvedBy: PersonId | null;
  approved: number;
  made: number;
};

export type Transport = Omit<CarrierEventOf<'TransportDispatched'>['data'], 'destination'> & {
  destination: Destination;
};

export type Carrier = {
  status: CarrierStatus;
  id: CarrierId;
  description: CarrierDescription;
  parentId: CarrierId | null;
  registeredAt: IsoTime;
  registeredBy: PersonId;
  /** One accountable holder, or the courier pair in transit (R-HOLD-1). */
  holders: PersonId[];
  /** Taken in by the registry: any clerk of `description.registry` may hand it on. */
  atRegistry: boolean;
  location: string;
  since: IsoTime;
  /** Everyone who ever held it, in order of first holding (R-DESTROY-4, R-ACCESS-1). */
  custodyChain: PersonId[];
  circulation: Circulation | null;
  copyRequests: Record<string, CopyRequest>;
  copies: CarrierId[];
  transport: Transport | null;
  loan: { id: string; borrower: PersonId; approvedBy: PersonId; readingRoom: string } | null;
  media: {
    exitApprovedBy: PersonId | null;
    custodian: PersonId | null;
    sanitised: boolean;
    repairApprovedBy: PersonId | null;
  };
  missing: { reportedBy: PersonId; reportedAt: IsoTime; statusBefore: CarrierStatus } | null;
  destruction: { requestId: string; requestedBy: PersonId; method: string; approvedBy: PersonId | null } | null;
  /** Number of events folded in: the revision the next event gets. */
  version: number;
};

export type CarrierState = { status: 'none' } | Carrier;

export const initialCarrierState = (): CarrierState => ({ status: 'none' });

export const isRegistered = (state: CarrierState): state is Carrier => state.status !== 'none';

export type CarrierStates = ReadonlyMap<CarrierId, CarrierState>;
