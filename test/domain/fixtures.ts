import type { Classification, IsoTime } from '../../src/domain/primitives.js';
import type { Role } from '../../src/domain/person/events.js';
import type { Person } from '../../src/domain/person/state.js';
import type { CarrierDescription } from '../../src/domain/carrier/description.js';
import type { CarrierEvent } from '../../src/domain/carrier/events.js';

/** Monday morning, within the registry's working day. */
export const T0: IsoTime = '2026-11-23T09:00:00.000Z';
export const at = (hoursAfterT0: number): IsoTime => new Date(Date.parse(T0) + hoursAfterT0 * 3_600_000).toISOString();

const person = (id: string, clearance: Classification, roles: Role[], status: Person['status'] = 'active'): Person => ({
  status,
  id,
  name: `Name of ${id}`,
  unit: 'Unit 1',
  clearance,
  roles,
  keys: [{ publicKey: 'A'.repeat(43), validFrom: '2026-01-01T00:00:00.000Z', validUntil: null, revokedFrom: null }],
  enrolledAt: '2026-01-01T00:00:00.000Z',
});

/** The cast of every domain test. Registry R1 is "ours"; R2 is another office's. */
export const people = {
  clerk1: person('clerk1', 'top-secret', [{ role: 'registry-clerk', registry: 'R1' }]),
  clerk2: person('clerk2', 'top-secret', [{ role: 'registry-clerk', registry: 'R1' }]),
  clerkB: person('clerkB', 'top-secret', [{ role: 'registry-clerk', registry: 'R2' }]),
  reader1: person('reader1', 'secret', []),
  reader2: person('reader2', 'top-secret', []),
  reader3: person('reader3', 'confidential', []),
  courier1: person('courier1', 'top-secret', [{ role: 'courier' }]),
  courier2: person('courier2', 'top-secret', [{ role: 'courier' }]),
  courier3: person('courier3', 'confidential', [{ role: 'courier' }]),
  unitHead: person('unitHead', 'top-secret', [{ role: 'approver', authority: 'unit-head' }]),
  originAuth: person('originAuth', 'top-secret', [
    { role: 'approver', authority: 'originating-authority', originators: ['Central Office'] },
  ]),
  leader1: person('leader1', 'top-secret', [{ role: 'leader' }, { role: 'approver', authority: 'unit-head' }]),
  officer: person('officer', 'top-secret', [{ role: 'security-officer' }]),
  investigator: person('investigator', 'top-secret', [{ role: 'investigator' }]),
  retired: person('retired', 'top-secret', [{ role: 'registry-clerk', registry: 'R1' }], 'deactivated'),
} satisfies Record<string, Person>;

export const directory = (): Map<string, Person> => new Map(Object.values(people).map((p) => [p.id, p]));

export const description = (overrides: Partial<CarrierDescription> = {}): CarrierDescription => ({
  kind: 'document',
  classification: 'secret',
  title: 'Annual plan',
  originator: 'Central Office',
  reference: 'CO-2026-17',
  copyNumber: 1,
  itemCount: 12,
  registry: 'R1',
  cipherTelegram: false,
  archive: false,
  personal: null,
  ...overrides,
});

/** The registration every story starts from: registered by clerk1, held at the R1 registry. */
export const registered = (
  carrierId: string,
  overrides: Partial<CarrierDescription> = {},
  holder = 'clerk1',
): { carrierId: string; event: CarrierEvent } => ({
  carrierId,
  event: {
    type: 'CarrierRegistered',
    data: {
      carrierId,
      description: description(overrides),
      holder,
      location: 'R1/safe-1',
      atRegistry: holder.startsWith('clerk') && holder !== 'clerkB',
      registeredBy: 'clerk1',
    },
  },
});
