import { describe, expect, it } from 'vitest';
import { CarrierCommand, type CarrierCommandInput, type CarrierCommandOf } from '../../../src/domain/carrier/commands.js';
import { decideCarrier } from '../../../src/domain/carrier/decide.js';
import type { CarrierEvent, CarrierEventOf } from '../../../src/domain/carrier/events.js';
import { initialCarrierState, isRegistered, type Carrier } from '../../../src/domain/carrier/state.js';
import { signersOf } from '../../../src/domain/carrier/targets.js';
import { RuleViolation, ValidationError } from '../../../src/domain/errors.js';
import { defaultPolicy } from '../../../src/domain/policy/policy.js';
import { directory, people, registered } from '../fixtures.js';
import { at, given, statesAfter } from './spec.js';

type History = Array<{ carrierId: string; event: CarrierEvent }>;
type Dispatched = CarrierEventOf<'TransportDispatched'>['data'];

const topSecret = registered('TS1', { classification: 'top-secret' });
const secret = registered('C2', { classification: 'secret' });

/** Two more top-secret couriers for a pair-to-pair relay, and a registry R2 clerk cleared only to confidential. */
const withRelayCouriers = () => {
  const persons = directory();
  persons.set('courier4', { ...people.courier1, id: 'courier4' });
  persons.set('courier5', { ...people.courier1, id: 'courier5' });
  persons.set('clerkC', { ...people.clerkB, id: 'clerkC', clearance: 'confidential' });
  return persons;
};

const dispatch = (data: Record<string, unknown> = {}): CarrierCommandInput => ({
  type: 'DispatchTransport',
  data: {
    carrierIds: ['TS1'],
    transportId: 'T-1',
    giver: 'clerk1',
    couriers: ['courier1', 'courier2'],
    destination: { registry: 'R2' },
    leavesPremises: true,
    seal: 'S-1',
    ...data,
  },
});

const dispatched = (carrierId: string, data: Partial<Dispatched> = {}) => ({
  carrierId,
  event: {
    type: 'TransportDispatched' as const,
    data: {
      transportId: 'T-1',
      from: 'clerk1',
      couriers: ['courier1', 'courier2'],
      destination: { registry: 'R2', person: null },
      leavesPremises: true,
      seal: 'S-1',
      expectedBy: at(25),
      purpose: 'delivery' as const,
      ...data,
    },
  },
});

const handOver = (data: Record<string, unknown> = {}): CarrierCommandInput => ({
  type: 'HandOverInTransit',
  data: { carrierIds: ['TS1'], transportId: 'T-1', fromCouriers: ['courier1', 'courier2'], toCouriers: ['courier4', 'courier5'], ...data },
});

const deliver = (data: Record<string, unknown> = {}): CarrierCommandInput => ({
  type: 'DeliverTransport',
  data: {
    carrierIds: ['TS1'],
    transportId: 'T-1',
    couriers: ['courier1', 'courier2'],
    receiver: 'clerkB',
    location: 'R2/inbox',
    sealSeen: 'S-1',
    ...data,
  },
});

const carrierAfter = (history: History, id: string): Carrier => {
  const state = statesAfter(history).get(id) ?? initialCarrierState();
  if (!isRegistered(state)) throw new Error(`${id} is not registered in the history`);
  return state;
};

describe('two-person transport of a top-secret document (the whole story)', () => {
  it('R-TRANSPORT-2 allows clerk1 to dispatch with courier1 and courier2 together, sealed S-1', () => {
    given([topSecret]).when(dispatch()).then([dispatched('TS1')]);
  });

  it('R-HOLD-2 refuses a hand-over in transit to a pair that includes courier3, cleared only to confidential', () => {
    given([topSecret, dispatched('TS1')])
      .when(handOver({ toCouriers: ['courier3', 'courier2'] }))
      .thenRefused('R-HOLD-2', /courier3 is cleared to confidential/);
  });

  it('R-TRANSPORT-1 R-TRANSPORT-3 R-TRANSPORT-4 delivers to clerkB at R2 with the seal intact; clerkB then holds it', () => {
    const history: History = [topSecret, dispatched('TS1')];
    const delivered = given(history)
      .when(deliver())
      .then([
        {
          carrierId: 'TS1',
          event: {
            type: 'TransportDelivered',
            data: {
              transportId: 'T-1',
              couriers: ['courier1', 'courier2'],
              receiver: 'clerkB',
              location: 'R2/inbox',
              seal: { expected: 'S-1', seen: 'S-1', intact: true },
              atRegistry: false,
            },
          },
        },
      ]);
    const after = carrierAfter([...history, ...delivered], 'TS1');
    expect(after).toMatchObject({ status: 'held', holders: ['clerkB'], transport: null, location: 'R2/inbox' });
    expect(after.custodyChain).toEqual(['clerk1', 'courier1', 'courier2', 'clerkB']);
  });
});

describe('dispatch', () => {
  it('R-TRANSPORT-2 refuses a top-secret carrier leaving the premises with one courier', () => {
    given([topSecret])
      .when(dispatch({ couriers: ['courier1'] }))
      .thenRefused('R-TRANSPORT-2', /TS1 is top-secret and leaves the premises: it travels with two couriers together, not 1/);
  });

  it('R-TRANSPORT-2 refuses the same courier named twice (decide checks it even past the schema)', () => {
    expect(() => CarrierCommand.parse(dispatch({ couriers: ['courier1', 'courier1'] }))).toThrow(/each person once/);
    const parsed = CarrierCommand.parse(dispatch()) as CarrierCommandOf<'DispatchTransport'>;
    const twice = { ...parsed, data: { ...parsed.data, couriers: ['courier1', 'courier1'] } };
    const states = new Map([['TS1', statesAfter([topSecret]).get('TS1') ?? initialCarrierState()]]);
    const run = () => decideCarrier(twice, states, { now: at(1), policy: defaultPolicy, persons: directory() });
    expect(run).toThrow(RuleViolation);
    expect(run).toThrow(/R-TRANSPORT-2: the couriers must be distinct people/);
  });

  it('R-TRANSPORT-2 does not ask for two couriers when a top-secret carrier stays on the premises', () => {
    const [event] = given([topSecret]).when(dispatch({ couriers: ['courier1'], leavesPremises: false })).events();
    expect(event?.event).toMatchObject({ type: 'TransportDispatched', data: { couriers: ['courier1'] } });
  });

  it('R-TRANSPORT-1 allows one courier to take a secret carrier to a named person by a given time', () => {
    given([secret])
      .when(dispatch({ carrierIds: ['C2'], couriers: ['courier1'], destination: { person: 'reader1' }, seal: null, expectedBy: at(3) }))
      .then([
        dispatched('C2', {
          couriers: ['courier1'],
          destination: { registry: null, person: 'reader1' },
          seal: null,
          expectedBy: at(3),
        }),
      ]);
  });

  it('R-TRANSPORT-1 refuses a courier who does not have the courier role', () => {
    given([secret])
      .when(dispatch({ carrierIds: ['C2'], couriers: ['reader2'], leavesPremises: false }))
      .thenRefused('R-TRANSPORT-1', /reader2 is not a courier/);
  });

  it('R-TRANSPORT-1 refuses a transport that names neither a registry nor a person', () => {
    given([secret])
      .when(dispatch({ carrierIds: ['C2'], destination: {} }))
      .thenRefused('R-TRANSPORT-1', /names neither a recipient registry nor a recipient person/);
  });

  it('R-TRANSPORT-1 refuses a destination registry with no active clerk to sign for it', () => {
    given([secret])
      .when(dispatch({ carrierIds: ['C2'], destination: { registry: 'R9' } }))
      .thenRefused('R-TRANSPORT-1', /registry R9 has no active clerk/);
  });

  it('R-TRANSPORT-1 refuses to dispatch a carrier that is already in transit', () => {
    given([topSecret, dispatched('TS1')])
      .when(dispatch({ giver: 'clerk2', transportId: 'T-2' }))
      .thenRefused('R-TRANSPORT-1', /TS1 is in transit/);
  });

  it('R-HOLD-2 refuses a named recipient not cleared for the carrier', () => {
    given([secret])
      .when(dispatch({ carrierIds: ['C2'], destination: { person: 'reader3' } }))
      .thenRefused('R-HOLD-2', /reader3 is cleared to confidential/);
  });

  it('R-HOLD-2 refuses a courier not cleared for the carrier', () => {
    given([secret])
      .when(dispatch({ carrierIds: ['C2'], couriers: ['courier3'], leavesPremises: false }))
      .thenRefused('R-HOLD-2', /courier3 is cleared to confidential and may not hold a secret carrier/);
  });

  it('R-HOLD-1 refuses a dispatch by someone who does not hold the carrier', () => {
    given([secret]).when(dispatch({ carrierIds: ['C2'], giver: 'reader1' })).thenRefused('R-HOLD-1', /reader1 does not hold C2/);
  });

  it('R-HOLD-1 lets another clerk of the registry dispatch what the registry took in', () => {
    const [event] = given([secret]).when(dispatch({ carrierIds: ['C2'], giver: 'clerk2' })).events();
    expect(event?.event).toMatchObject({ data: { from: 'clerk2' } });
  });

  it('R-HOLD-3 refuses a holder who names themselves as courier', () => {
    given([registered('C2', {}, 'courier1')])
      .when(dispatch({ carrierIds: ['C2'], giver: 'courier1' }))
      .thenRefused('R-HOLD-3', /courier1 cannot hand the carriers to themselves/);
  });

  it('R-CIRC-1 refuses to send out a carrier that a reader has in circulation', () => {
    const inCirculation: History = [
      secret,
      {
        carrierId: 'C2',
        event: {
          type: 'CirculationOpened',
          data: { circulationId: 'CIRC-1', readers: ['reader1'], purpose: 'reading', urgent: false, readingHours: 48, openedBy: 'clerk1' },
        },
      },
      {
        carrierId: 'C2',
        event: { type: 'CarrierIssuedToReader', data: { circulationId: 'CIRC-1', reader: 'reader1', issuedBy: 'clerk1', dueBy: at(50) } },
      },
    ];
    given(inCirculation)
      .when(dispatch({ carrierIds: ['C2'], giver: 'reader1' }))
      .thenRefused('R-CIRC-1', /C2 is with reader reader1 in circulation CIRC-1/);
  });

  it('R-REG-4 refuses to send a personal item to a person who is neither addressee nor proxy', () => {
    given([registered('P1', { personal: { addressee: 'reader2', proxies: [] } })])
      .when(dispatch({ carrierIds: ['P1'], destination: { person: 'reader1' } }))
      .thenRefused('R-REG-4', /marked personal for reader2/);
  });

  it('R-REG-4 allows a personal item to be sent to its addressee', () => {
    const [event] = given([registered('P1', { personal: { addressee: 'reader2', proxies: [] } })])
      .when(dispatch({ carrierIds: ['P1'], destination: { person: 'reader2' } }))
      .events();
    expect(event?.event).toMatchObject({ data: { destination: { registry: null, person: 'reader2' } } });
  });

  it('R-TRANSPORT-5 defaults expectedBy to the policy time and refuses one that is not after the dispatch', () => {
    const policy = { ...defaultPolicy, transportExpectedHours: 6 };
    const [event] = given([secret], { policy }).when(dispatch({ carrierIds: ['C2'] })).events();
    expect(event?.event).toMatchObject({ data: { expectedBy: at(7) } });
    expect(() => given([secret]).when(dispatch({ carrierIds: ['C2'], expectedBy: at(1) })).events()).toThrow(ValidationError);
  });
});

describe('batches (R-BATCH-1)', () => {
  it('R-BATCH-1 appends one event to each carrier of the container under one seal', () => {
    given([topSecret, secret])
      .when(dispatch({ carrierIds: ['TS1', 'C2'] }))
      .then([dispatched('TS1', { expectedBy: at(26) }), dispatched('C2', { expectedBy: at(26) })]);
  });

  it('R-BATCH-1 R-HOLD-1 refuses the whole batch when one carrier is not held by the giver', () => {
    given([topSecret, registered('C3', {}, 'reader2')])
      .when(dispatch({ carrierIds: ['TS1', 'C3'] }))
      .thenRefused('R-HOLD-1', /clerk1 does not hold C3 \(held by reader2\)/);
  });
});

describe('removable media on a transport', () => {
  const disk = registered('D1', { kind: 'disk' });
  const exitApproved = { carrierId: 'D1', event: { type: 'MediaExitApproved' as const, data: { approvedBy: 'leader1', custodian: 'courier1' } } };
  const sanitised = { carrierId: 'D1', event: { type: 'MediaSanitised' as const, data: { sanitisedBy: 'clerk1', method: 'overwrite' } } };
  const repairApproved = { carrierId: 'D1', event: { type: 'MediaRepairApproved' as const, data: { approvedBy: 'leader1', repairer: 'Repair Co' } } };
  const diskOut = (data: Record<string, unknown> = {}) =>
    dispatch({ carrierIds: ['D1'], couriers: ['courier1'], seal: null, ...data });

  it('R-MEDIA-1 refuses a disk leaving the premises without a recorded exit approval', () => {
    given([disk]).when(diskOut()).thenRefused('R-MEDIA-1', /disk D1 may not leave the premises without a recorded exit approval/);
  });

  it('R-MEDIA-1 allows the disk out once approved, with the designated custodian as courier', () => {
    const [event] = given([disk, exitApproved]).when(diskOut()).events();
    expect(event?.event).toMatchObject({ type: 'TransportDispatched', data: { couriers: ['courier1'] } });
  });

  it('R-MEDIA-1 takes one approval per exit: after the trip the next exit needs a new one', () => {
    const [out] = given([disk, exitApproved]).when(diskOut()).events();
    const back = {
      carrierId: 'D1',
      event: {
        type: 'TransportDelivered' as const,
        data: { transportId: 'T-1', couriers: ['courier1'], receiver: 'clerk1', location: 'R1/safe-1', seal: null, atRegistry: true },
      },
    };
    given([disk, exitApproved, out!, back]).when(diskOut({ transportId: 'T-2' })).thenRefused('R-MEDIA-1', /without a recorded exit approval/);
  });

  it('R-MEDIA-1 refuses the disk out when its designated custodian does not travel with it', () => {
    given([disk, exitApproved])
      .when(diskOut({ couriers: ['courier2'] }))
      .thenRefused('R-MEDIA-1', /designated custodian courier1/);
  });

  it('R-MEDIA-1 asks no approval for a disk moving within the premises', () => {
    const [event] = given([disk]).when(diskOut({ leavesPremises: false })).events();
    expect(event?.event.type).toBe('TransportDispatched');
  });

  it('R-MEDIA-2 refuses to send a document out for repair', () => {
    given([secret]).when(dispatch({ carrierIds: ['C2'], purpose: 'repair' })).thenRefused('R-MEDIA-2', /only disks go out for repair/);
  });

  it('R-MEDIA-2 refuses a disk out for repair before its sanitisation is recorded', () => {
    given([disk, exitApproved]).when(diskOut({ purpose: 'repair' })).thenRefused('R-MEDIA-2', /no recorded sanitisation/);
  });

  it('R-MEDIA-2 refuses a sanitised disk out for repair without a repair approval', () => {
    given([disk, exitApproved, sanitised]).when(diskOut({ purpose: 'repair' })).thenRefused('R-MEDIA-2', /no recorded repair approval/);
  });

  it('R-MEDIA-2 allows a sanitised, approved disk out for repair', () => {
    const [event] = given([disk, exitApproved, sanitised, repairApproved]).when(diskOut({ purpose: 'repair' })).events();
    expect(event?.event).toMatchObject({ data: { purpose: 'repair' } });
  });
});

describe('hand-over in transit', () => {
  const inTransit: History = [topSecret, dispatched('TS1')];
  const persons = withRelayCouriers();

  it('R-TRANSPORT-2 allows the pair to hand over to another cleared pair; both pairs sign and then hold it', () => {
    const events = given(inTransit, { persons })
      .when(handOver())
      .then([
        {
          carrierId: 'TS1',
          event: {
            type: 'TransportHandedOver',
            data: { transportId: 'T-1', fromCouriers: ['courier1', 'courier2'], toCouriers: ['courier4', 'courier5'] },
          },
        },
      ]);
    expect(signersOf(CarrierCommand.parse(handOver()))).toEqual(['courier1', 'courier2', 'courier4', 'courier5']);
    const after = carrierAfter([...inTransit, ...events], 'TS1');
    expect(after).toMatchObject({ status: 'in-transit', holders: ['courier4', 'courier5'], transport: { couriers: ['courier4', 'courier5'] } });
  });

  it('R-TRANSPORT-2 refuses handing a top-secret transport off the premises to a single courier', () => {
    given(inTransit, { persons })
      .when(handOver({ toCouriers: ['courier4'] }))
      .thenRefused('R-TRANSPORT-2', /two couriers together, not 1/);
  });

  it('R-TRANSPORT-1 refuses a hand-over to someone who is not a courier', () => {
    given(inTransit, { persons })
      .when(handOver({ toCouriers: ['courier4', 'reader2'] }))
      .thenRefused('R-TRANSPORT-1', /reader2 is not a courier/);
  });

  it('R-TRANSPORT-1 refuses a hand-over under another transport id', () => {
    given(inTransit, { persons })
      .when(handOver({ transportId: 'T-9' }))
      .thenRefused('R-TRANSPORT-1', /TS1 is not in transit under T-9/);
  });

  it('R-HOLD-1 refuses a hand-over by couriers who do not hold the transport', () => {
    given(inTransit, { persons })
      .when(handOver({ fromCouriers: ['courier1', 'courier4'], toCouriers: ['courier5', 'courier2'] }))
      .thenRefused('R-HOLD-1', /TS1 is held by courier1 and courier2, not by courier1 and courier4/);
  });

  it('R-HOLD-3 refuses a hand-over from the pair to itself', () => {
    given(inTransit, { persons })
      .when(handOver({ toCouriers: ['courier2', 'courier1'] }))
      .thenRefused('R-HOLD-3', /already hold transport T-1/);
  });
});

describe('delivery', () => {
  const inTransit: History = [topSecret, dispatched('TS1')];

  it('R-TRANSPORT-1 refuses delivery to a third party who is neither the named person nor a clerk of R2', () => {
    given(inTransit)
      .when(deliver({ receiver: 'reader2' }))
      .thenRefused('R-TRANSPORT-1', /transport T-1 is for a clerk of registry R2; reader2 is a third party/);
  });

  it('R-TRANSPORT-1 allows delivery to the named recipient person', () => {
    const history: History = [secret, dispatched('C2', { destination: { registry: null, person: 'reader1' }, seal: null })];
    const [event] = given(history).when(deliver({ carrierIds: ['C2'], receiver: 'reader1', sealSeen: null })).events();
    expect(event?.event).toMatchObject({ data: { receiver: 'reader1', seal: null, atRegistry: false } });
  });

  it('R-TRANSPORT-3 refuses a courier signing as the recipient', () => {
    given(inTransit).when(deliver({ receiver: 'courier1' })).thenRefused('R-TRANSPORT-3', /courier1 is a courier of transport T-1/);
  });

  it('R-TRANSPORT-3 makes the recipient sign along with the couriers', () => {
    expect(signersOf(CarrierCommand.parse(deliver()))).toEqual(['courier1', 'courier2', 'clerkB']);
  });

  it('R-HOLD-1 refuses a delivery by couriers who do not hold the transport', () => {
    given(inTransit).when(deliver({ couriers: ['courier1'] })).thenRefused('R-HOLD-1', /held by courier1 and courier2, not by courier1/);
  });

  it('R-HOLD-2 refuses a registry clerk not cleared for the carrier', () => {
    given(inTransit, { persons: withRelayCouriers() })
      .when(deliver({ receiver: 'clerkC' }))
      .thenRefused('R-HOLD-2', /clerkC is cleared to confidential/);
  });

  it('R-TRANSPORT-1 refuses to deliver a carrier that is not in transit', () => {
    given([topSecret]).when(deliver()).thenRefused('R-TRANSPORT-1', /TS1 is not in transit under T-1 \(it is held\)/);
  });

  it('R-TRANSPORT-4 records a broken seal as not intact instead of refusing', () => {
    const [event] = given(inTransit).when(deliver({ sealIntact: false })).events();
    expect(event?.event).toMatchObject({ data: { seal: { expected: 'S-1', seen: 'S-1', intact: false } } });
  });

  it('R-TRANSPORT-4 records a different or missing seal number as not intact', () => {
    const [other] = given(inTransit).when(deliver({ sealSeen: 'S-2' })).events();
    expect(other?.event).toMatchObject({ data: { seal: { expected: 'S-1', seen: 'S-2', intact: false } } });
    const [none] = given(inTransit).when(deliver({ sealSeen: null })).events();
    expect(none?.event).toMatchObject({ data: { seal: { expected: 'S-1', seen: null, intact: false } } });
  });

  it('R-TRANSPORT-4 one delivery act covers every carrier in the sealed container', () => {
    const history: History = [topSecret, secret, dispatched('TS1'), dispatched('C2')];
    const events = given(history).when(deliver({ carrierIds: ['TS1', 'C2'], sealIntact: false })).events();
    expect(events.map((e) => e.carrierId)).toEqual(['TS1', 'C2']);
    for (const { event } of events) expect(event).toMatchObject({ data: { seal: { intact: false } } });
  });

  it('R-REG-4 refuses a personal item to a named person who is not its addressee, and lets the registry take it', () => {
    const personal = registered('P1', { personal: { addressee: 'reader2', proxies: [] } });
    const history: History = [personal, dispatched('P1', { destination: { registry: 'R2', person: 'reader1' } })];
    given(history).when(deliver({ carrierIds: ['P1'], receiver: 'reader1' })).thenRefused('R-REG-4', /marked personal for reader2/);
    const [event] = given(history).when(deliver({ carrierIds: ['P1'], receiver: 'clerkB' })).events();
    expect(event?.event).toMatchObject({ data: { receiver: 'clerkB' } });
  });

  it('delivery back to a clerk of the carrier\'s own registry is taken in for the registry', () => {
    const history: History = [
      registered('C4', {}, 'reader2'),
      dispatched('C4', { from: 'reader2', couriers: ['courier1'], destination: { registry: 'R1', person: null }, leavesPremises: false }),
    ];
    const events = given(history).when(deliver({ carrierIds: ['C4'], couriers: ['courier1'], receiver: 'clerk2', location: 'R1/safe-1' })).events();
    expect(events[0]?.event).toMatchObject({ data: { atRegistry: true } });
    expect(carrierAfter([...history, ...events], 'C4')).toMatchObject({ status: 'held', holders: ['clerk2'], atRegistry: true });
  });
});
