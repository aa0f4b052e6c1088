import { describe, it } from 'vitest';
import { description, registered } from '../fixtures.js';
import { given } from './spec.js';

const register = (overrides: Record<string, unknown> = {}) => ({
  type: 'RegisterCarrier' as const,
  data: {
    carrierId: 'C1',
    description: { ...description(), ...overrides },
    holder: 'clerk1',
    location: 'R1/safe-1',
    registeredBy: 'clerk1',
  },
});

describe('registration and receipt', () => {
  it('R-REG-1 allows a registry clerk to register a carrier with every registry field', () => {
    given().when(register()).then([registered('C1')]);
  });

  it('R-REG-1 refuses a registration signed by someone who is not a clerk of that registry', () => {
    given()
      .when({ ...register(), data: { ...register().data, registeredBy: 'clerkB' } })
      .thenRefused('R-REG-1', /not a registry clerk of R1/);
  });

  it('R-REG-1 refuses to register the same carrier twice', () => {
    given([registered('C1')]).when(register()).thenRefused('R-REG-1', /already registered/);
  });

  it('R-REG-1 refuses a registration by a deactivated clerk', () => {
    given()
      .when({ ...register(), data: { ...register().data, registeredBy: 'retired' } })
      .thenRefused('R-REG-1', /not an enrolled, active person/);
  });

  it('R-REG-3 registers drafts and surplus prints like any other carrier', () => {
    given()
      .when(register({ kind: 'draft' }))
      .then([registered('C1', { kind: 'draft' })]);
  });

  it('R-REG-3 refuses to let a draft go without the supervised destruction every carrier needs', () => {
    const draft = registered('D1', { kind: 'draft' });
    given([draft])
      .when({
        type: 'DestroyCarriers',
        data: { carrierIds: ['D1'], requestId: 'X1', destroyedBy: 'clerk1', witness: 'officer', location: 'R1/shredder' },
      })
      .thenRefused('R-DESTROY-1');
  });

  it('R-COPY-1 refuses to register a copy made here outside MakeCopies', () => {
    given().when(register({ kind: 'copy' })).thenRefused('R-COPY-1');
  });

  it('R-HOLD-2 refuses a first holder whose clearance is below the classification', () => {
    given()
      .when({ ...register({ classification: 'top-secret' }), data: { ...register({ classification: 'top-secret' }).data, holder: 'reader1' } })
      .thenRefused('R-HOLD-2', /reader1 is cleared to secret/);
  });

  it('R-REG-2 records a carrier received from outside, signed by the receiving clerk and the enrolled deliverer', () => {
    given()
      .when({
        type: 'ReceiveCarrier',
        data: {
          carrierId: 'IN-1',
          description: description({ registry: 'R1' }),
          holder: 'clerk1',
          location: 'R1/inbox',
          receivedBy: 'clerk1',
          receivedFrom: { name: 'Courier of R2', personId: 'courier1' },
        },
      })
      .then([
        {
          carrierId: 'IN-1',
          event: {
            type: 'CarrierReceived',
            data: {
              carrierId: 'IN-1',
              description: description({ registry: 'R1' }),
              holder: 'clerk1',
              location: 'R1/inbox',
              atRegistry: true,
              receivedBy: 'clerk1',
              receivedFrom: { name: 'Courier of R2', personId: 'courier1' },
            },
          },
        },
      ]);
  });

  it('R-REG-2 refuses a receipt signed by a clerk of another registry', () => {
    given()
      .when({
        type: 'ReceiveCarrier',
        data: {
          carrierId: 'IN-1',
          description: description({ registry: 'R1' }),
          holder: 'clerk1',
          location: 'R1/inbox',
          receivedBy: 'clerkB',
          receivedFrom: { name: 'Outside office' },
        },
      })
      .thenRefused('R-REG-2');
  });

  it('R-REG-2 refuses a deliverer named as enrolled who is not', () => {
    given()
      .when({
        type: 'ReceiveCarrier',
        data: {
          carrierId: 'IN-1',
          description: description(),
          holder: 'clerk1',
          location: 'R1/inbox',
          receivedBy: 'clerk1',
          receivedFrom: { name: 'Stranger', personId: 'nobody' },
        },
      })
      .thenRefused('R-REG-2', /nobody is not an enrolled/);
  });
});

describe('corrections (L-1)', () => {
  const correct = (by: string, revision = 0) => ({
    type: 'CorrectCarrierEvent' as const,
    data: {
      carrierId: 'C1',
      correctsRevision: revision,
      correctsHash: 'a'.repeat(64),
      changes: { title: 'Annual plan (corrected)' },
      reason: 'typo in the title',
      correctedBy: by,
    },
  });

  it('L-1 lets a clerk of the registry strike through a wrong entry with a new event', () => {
    given([registered('C1')])
      .when(correct('clerk2'))
      .then([
        {
          carrierId: 'C1',
          event: {
            type: 'CarrierEventCorrected',
            data: {
              correctsRevision: 0,
              correctsHash: 'a'.repeat(64),
              changes: { title: 'Annual plan (corrected)' },
              reason: 'typo in the title',
              correctedBy: 'clerk2',
            },
          },
        },
      ]);
  });

  it('L-1 refuses a correction of a revision that does not exist', () => {
    given([registered('C1')]).when(correct('clerk1', 5)).thenRefused('L-1', /no event at revision 5/);
  });

  it('L-1 refuses a correction by someone who is neither clerk nor security officer', () => {
    given([registered('C1')]).when(correct('reader2')).thenRefused('L-1');
  });

  it('refuses a command on an unknown carrier as not found, not as a rule', () => {
    given().when(correct('clerk1')).thenNotFound('C1');
  });
});
