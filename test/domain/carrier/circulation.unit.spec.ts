import { describe, expect, it } from 'vitest';
import { CarrierEvent } from '../../../src/domain/carrier/events.js';
import type { Carrier } from '../../../src/domain/carrier/state.js';
import { defaultPolicy } from '../../../src/domain/policy/policy.js';
import { directory, people, registered } from '../fixtures.js';
import { at, given, statesAfter } from './spec.js';

//// Builders //////////////////////////////////////////////////////////////

const on = (event: CarrierEvent, carrierId = 'C1') => ({ carrierId, event });

const opened = (
  readers: string[] = ['reader1', 'reader2'],
  extra: Partial<{ purpose: 'reading' | 'leader-instruction'; urgent: boolean; readingHours: number }> = {},
) =>
  on({
    type: 'CirculationOpened',
    data: {
      circulationId: 'CIRC-1',
      readers,
      purpose: extra.purpose ?? 'reading',
      urgent: extra.urgent ?? false,
      readingHours: extra.readingHours ?? 48,
      openedBy: 'clerk1',
    },
  });

const issued = (reader: string, dueBy: string) =>
  on({ type: 'CarrierIssuedToReader', data: { circulationId: 'CIRC-1', reader, issuedBy: 'clerk1', dueBy } });

const returned = (reader: string, receivedBy = 'clerk2') =>
  on({
    type: 'CarrierReturnedByReader',
    data: { circulationId: 'CIRC-1', reader, readerName: `Name of ${reader}`, receivedBy },
  });

const open = (data: Record<string, unknown> = {}) => ({
  type: 'OpenCirculation' as const,
  data: { carrierId: 'C1', circulationId: 'CIRC-1', readers: ['reader1', 'reader2'], openedBy: 'clerk1', ...data },
});
const widen = (data: Record<string, unknown> = {}) => ({
  type: 'WidenCirculation' as const,
  data: { carrierId: 'C1', circulationId: 'CIRC-1', readers: ['reader2'], widenedBy: 'clerk2', ...data },
});
const issue = (reader: string, data: Record<string, unknown> = {}) => ({
  type: 'IssueToReader' as const,
  data: { carrierId: 'C1', circulationId: 'CIRC-1', reader, issuedBy: 'clerk1', ...data },
});
const giveBack = (reader: string, data: Record<string, unknown> = {}) => ({
  type: 'ReturnFromReader' as const,
  data: { carrierId: 'C1', circulationId: 'CIRC-1', reader, readerName: `Name of ${reader}`, receivedBy: 'clerk2', ...data },
});
const close = (data: Record<string, unknown> = {}) => ({
  type: 'CloseCirculation' as const,
  data: { carrierId: 'C1', circulationId: 'CIRC-1', closedBy: 'clerk1', ...data },
});
const transfer = (giver: string, receiver: string) => ({
  type: 'TransferCustody' as const,
  data: { carrierId: 'C1', giver, receiver, location: 'corridor' },
});

const carrierAfter = (history: Parameters<typeof statesAfter>[0], id = 'C1') => statesAfter(history).get(id) as Carrier;

//// Opening ///////////////////////////////////////////////////////////////

describe('opening a circulation', () => {
  it('R-CIRC-1 lets a clerk of the registry open a circulation with a fixed reader list', () => {
    given([registered('C1')]).when(open()).then([opened()]);
  });

  it('R-CIRC-4 records the urgent deadline from the policy when none is given (watched, not refused)', () => {
    given([registered('C1')])
      .when(open({ urgent: true }))
      .then([opened(['reader1', 'reader2'], { urgent: true, readingHours: defaultPolicy.urgentCirculationHours })]);
  });

  it('R-CIRC-4 takes the ordinary deadline from the policy in force and accepts a longer one without refusing', () => {
    const policy = { ...defaultPolicy, circulationMaxHours: 24 };
    given([registered('C1')], { policy }).when(open()).then([opened(['reader1', 'reader2'], { readingHours: 24 })]);
    given([registered('C1')])
      .when(open({ readingHours: 100 }))
      .then([opened(['reader1', 'reader2'], { readingHours: 100 })]);
  });

  it('R-CIRC-1 refuses an opening signed by a clerk of another registry', () => {
    given([registered('C1')]).when(open({ openedBy: 'clerkB' })).thenRefused('R-CIRC-1', /clerkB is not a registry clerk of R1/);
  });

  it('R-CIRC-1 refuses to circulate a carrier that is not back at the registry', () => {
    given([registered('C1', {}, 'reader2')]).when(open()).thenRefused('R-CIRC-1', /held by reader2, not by registry R1/);
  });

  it('R-CIRC-1 refuses a second circulation while one is open', () => {
    given([registered('C1'), opened()])
      .when(open({ circulationId: 'CIRC-2' }))
      .thenRefused('R-CIRC-1', /already in circulation CIRC-1/);
  });

  it('R-HOLD-2 refuses a reader list with a reader not cleared for the classification', () => {
    given([registered('C1')])
      .when(open({ readers: ['reader1', 'reader3'] }))
      .thenRefused('R-HOLD-2', /reader3 is cleared to confidential/);
  });

  it('R-REG-4 refuses to put anyone but the addressee or a proxy on the list of a personal item', () => {
    const personal = { personal: { addressee: 'reader2', proxies: ['reader1'] } };
    given([registered('C1', personal)])
      .when(open({ readers: ['reader1', 'leader1'] }))
      .thenRefused('R-REG-4', /leader1 is neither the addressee/);
    given([registered('C1', personal)]).when(open()).then([opened()]);
  });

  it('refuses to open a circulation on an unknown carrier as not found', () => {
    given().when(open()).thenNotFound('C1');
  });
});

//// Widening //////////////////////////////////////////////////////////////

describe('widening the reader list', () => {
  it('R-CIRC-2 lets a clerk of the registry widen the list by a signed act', () => {
    given([registered('C1'), opened(['reader1'])])
      .when(widen())
      .then([on({ type: 'CirculationWidened', data: { circulationId: 'CIRC-1', addedReaders: ['reader2'], widenedBy: 'clerk2' } })]);
  });

  it('R-CIRC-2 refuses a widening signed by someone who is not a clerk of the registry', () => {
    given([registered('C1'), opened(['reader1'])])
      .when(widen({ widenedBy: 'reader1' }))
      .thenRefused('R-CIRC-2', /reader1 is not a registry clerk of R1/);
  });

  it('R-CIRC-2 refuses to widen a circulation that is not the open one', () => {
    given([registered('C1'), opened(['reader1'])])
      .when(widen({ circulationId: 'CIRC-9' }))
      .thenRefused('R-CIRC-2', /in circulation CIRC-1, not CIRC-9/);
    given([registered('C1')]).when(widen()).thenRefused('R-CIRC-2', /no open circulation/);
  });

  it('R-CIRC-2 refuses to add a reader already on the list', () => {
    given([registered('C1'), opened(['reader1'])])
      .when(widen({ readers: ['reader1'] }))
      .thenRefused('R-CIRC-2', /reader1 already on the reader list/);
  });

  it('R-HOLD-2 refuses to widen the list to a reader not cleared for the classification', () => {
    given([registered('C1'), opened(['reader1'])])
      .when(widen({ readers: ['reader3'] }))
      .thenRefused('R-HOLD-2', /reader3/);
  });
});

//// Issuing ///////////////////////////////////////////////////////////////

describe('issuing to a reader', () => {
  it('R-CIRC-2 issues to a reader on the list, with the deadline of R-CIRC-4, and the reader becomes the holder', () => {
    const history = [registered('C1'), opened()];
    const decision = given(history).when(issue('reader1')).then([issued('reader1', at(2 + 48))]);
    const carrier = carrierAfter([...history, ...decision]);
    expect(carrier.holders).toEqual(['reader1']);
    expect(carrier.atRegistry).toBe(false);
    expect(carrier.circulation?.reader).toBe('reader1');
    expect(carrier.circulation?.dueBy).toBe(at(2 + 48));
  });

  it('R-CIRC-4 gives an urgent circulation the short deadline', () => {
    given([registered('C1'), opened(['reader1'], { urgent: true, readingHours: 4 })])
      .when(issue('reader1'))
      .then([issued('reader1', at(2 + 4))]);
  });

  it('R-CIRC-2 refuses to issue to a reader not on the list', () => {
    given([registered('C1'), opened(['reader1'])])
      .when(issue('reader2'))
      .thenRefused('R-CIRC-2', /reader2 is not on the reader list of circulation CIRC-1/);
  });

  it('R-CIRC-2 issues to a reader added by a widening', () => {
    const widened = on({ type: 'CirculationWidened', data: { circulationId: 'CIRC-1', addedReaders: ['reader2'], widenedBy: 'clerk2' } });
    given([registered('C1'), opened(['reader1']), widened])
      .when(issue('reader2'))
      .then([issued('reader2', at(3 + 48))]);
  });

  it('R-CIRC-1 refuses to issue while another reader has it', () => {
    given([registered('C1'), opened(), issued('reader1', at(50))])
      .when(issue('reader2'))
      .thenRefused('R-CIRC-1', /with reader reader1 in circulation CIRC-1: it must come back to the registry/);
  });

  it('R-CIRC-1 refuses an issue signed by someone who is not a clerk of the registry', () => {
    given([registered('C1'), opened()]).when(issue('reader1', { issuedBy: 'clerkB' })).thenRefused('R-CIRC-1', /clerkB/);
  });

  it('R-CIRC-1 refuses an issue under a circulation id that is not open', () => {
    given([registered('C1'), opened()])
      .when(issue('reader1', { circulationId: 'CIRC-2' }))
      .thenRefused('R-CIRC-1', /in circulation CIRC-1, not CIRC-2/);
    given([registered('C1')]).when(issue('reader1')).thenRefused('R-CIRC-1', /C1 has no open circulation/);
  });

  it('R-HOLD-2 refuses to issue to a listed reader whose clearance was lowered since the opening', () => {
    const persons = directory();
    persons.set('reader2', { ...people.reader2, clearance: 'confidential' });
    given([registered('C1'), opened()], { persons }).when(issue('reader2')).thenRefused('R-HOLD-2', /reader2/);
  });
});

//// Returning /////////////////////////////////////////////////////////////

describe('returning to the registry', () => {
  const withReader1 = [registered('C1'), opened(), issued('reader1', at(50))];

  it('R-CIRC-3 records the return signed with the reader\'s full name, and the registry holds it again', () => {
    const decision = given(withReader1).when(giveBack('reader1')).then([returned('reader1')]);
    const carrier = carrierAfter([...withReader1, ...decision]);
    expect(carrier.holders).toEqual(['clerk2']);
    expect(carrier.atRegistry).toBe(true);
    expect(carrier.circulation?.reader).toBeNull();
    expect(carrier.circulation?.returnedBy).toEqual(['reader1']);
  });

  it('R-CIRC-3 refuses a return not signed with the reader\'s full name', () => {
    given(withReader1)
      .when(giveBack('reader1', { readerName: 'R. One' }))
      .thenRefused('R-CIRC-3', /full name "Name of reader1", not "R. One"/);
  });

  it('R-CIRC-3 refuses a return received by someone who is not a clerk of the registry', () => {
    given(withReader1).when(giveBack('reader1', { receivedBy: 'clerkB' })).thenRefused('R-CIRC-3', /clerkB is not a registry clerk of R1/);
  });

  it('R-CIRC-1 refuses a return by a reader who does not have it', () => {
    given(withReader1).when(giveBack('reader2')).thenRefused('R-CIRC-1', /with reader reader1, not reader2/);
    given([registered('C1'), opened()]).when(giveBack('reader1')).thenRefused('R-CIRC-1', /at the registry, not with reader1/);
  });
});

//// Closing ///////////////////////////////////////////////////////////////

describe('closing a circulation', () => {
  it('R-CIRC-1 closes a circulation once the carrier is back at the registry', () => {
    const history = [registered('C1'), opened(), issued('reader1', at(50)), returned('reader1')];
    const decision = given(history)
      .when(close())
      .then([on({ type: 'CirculationClosed', data: { circulationId: 'CIRC-1', closedBy: 'clerk1' } })]);
    expect(carrierAfter([...history, ...decision]).circulation).toBeNull();
  });

  it('R-CIRC-1 refuses to close while a reader has it', () => {
    given([registered('C1'), opened(), issued('reader1', at(50))])
      .when(close())
      .thenRefused('R-CIRC-1', /with reader reader1/);
  });

  it('R-CIRC-1 refuses to close another circulation or by someone who is not a clerk', () => {
    given([registered('C1'), opened()]).when(close({ circulationId: 'CIRC-2' })).thenRefused('R-CIRC-1', /not CIRC-2/);
    given([registered('C1'), opened()]).when(close({ closedBy: 'reader1' })).thenRefused('R-CIRC-1', /reader1 is not a registry clerk/);
  });
});

//// Leader instruction (R-CIRC-5) /////////////////////////////////////////

describe('documents sent for a leader\'s instruction', () => {
  const toLeader = [
    registered('C1'),
    opened(['leader1', 'reader2'], { purpose: 'leader-instruction' }),
    issued('leader1', at(50)),
  ];

  it('R-CIRC-5 refuses to pass it from one leader to the next, by the registry or by hand', () => {
    given(toLeader).when(issue('reader2')).thenRefused('R-CIRC-5', /with reader leader1/);
    given(toLeader).when(transfer('leader1', 'reader2')).thenRefused('R-CIRC-5', /goes back to the registry/);
  });

  it('R-CIRC-5 lets it go to the next leader after it came back to the registry', () => {
    const back = [...toLeader, returned('leader1')];
    given(back).when(issue('reader2')).then([issued('reader2', at(back.length + 48))]);
  });
});

//// The whole story ///////////////////////////////////////////////////////

describe('a circulation from opening to closing', () => {
  it('R-CIRC-1 R-CIRC-2 R-CIRC-3 registry → reader1 → registry → reader2 → registry, never reader to reader', () => {
    const history: Parameters<typeof given>[0] = [registered('C1')];
    const step = (command: Parameters<ReturnType<typeof given>['when']>[0]) => {
      history.push(...given(history).when(command).events());
    };

    step(open());
    expect(history.at(-1)).toEqual(opened());

    step(issue('reader1'));
    expect(history.at(-1)).toEqual(issued('reader1', at(2 + 48)));

    given(history).when(transfer('reader1', 'reader2')).thenRefused('R-CIRC-1', /with reader reader1 in circulation CIRC-1/);

    step(giveBack('reader1'));
    expect(history.at(-1)).toEqual(returned('reader1'));

    step(issue('reader2', { issuedBy: 'clerk2' }));
    expect(history.at(-1)?.event).toMatchObject({ type: 'CarrierIssuedToReader', data: { reader: 'reader2', issuedBy: 'clerk2', dueBy: at(4 + 48) } });

    step(giveBack('reader2', { receivedBy: 'clerk1' }));
    step(close());

    // Every event decided along the way is exactly what the schema accepts (strict objects).
    for (const { event } of history) expect(CarrierEvent.parse(event)).toEqual(event);
    const carrier = carrierAfter(history);
    expect(history.map((h) => h.event.type)).toEqual([
      'CarrierRegistered',
      'CirculationOpened',
      'CarrierIssuedToReader',
      'CarrierReturnedByReader',
      'CarrierIssuedToReader',
      'CarrierReturnedByReader',
      'CirculationClosed',
    ]);
    expect(carrier.circulation).toBeNull();
    expect(carrier.holders).toEqual(['clerk1']);
    expect(carrier.atRegistry).toBe(true);
    expect(carrier.custodyChain).toEqual(['clerk1', 'reader1', 'clerk2', 'reader2']);
  });
});
