import type { Member } from './world.js';

/** Three registries, their clerks, couriers, approvers, leaders, an officer and a floor of readers. */
export function officeCast(readers = 24): Member[] {
  const readerClearance = (i: number) => (i % 5 === 0 ? 'top-secret' : i % 5 === 4 ? 'confidential' : 'secret');
  return [
    { id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }], name: 'Wang Fang' },
    { id: 'investigator', clearance: 'top-secret', roles: [{ role: 'investigator' }], name: 'Zhou Min' },
    { id: 'r1clerk1', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R1' }], name: 'Li Na' },
    { id: 'r1clerk2', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R1' }], name: 'Chen Jie' },
    { id: 'r2clerk1', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R2' }], name: 'Zhao Lei' },
    { id: 'r2clerk2', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R2' }], name: 'Sun Yan' },
    { id: 'r3clerk1', clearance: 'top-secret', roles: [{ role: 'registry-clerk', registry: 'R3' }], name: 'Wu Hao' },
    ...[1, 2, 3, 4].map((i): Member => ({ id: `courier${i}`, clearance: 'top-secret', roles: [{ role: 'courier' }] })),
    { id: 'unitHead', clearance: 'top-secret', roles: [{ role: 'approver', authority: 'unit-head' }] },
    { id: 'originAuth', clearance: 'top-secret', roles: [{ role: 'approver', authority: 'originating-authority', originators: ['Central Office'] }] },
    { id: 'leader1', clearance: 'top-secret', roles: [{ role: 'leader' }, { role: 'approver', authority: 'unit-head' }], name: 'Director Huang' },
    { id: 'leader2', clearance: 'top-secret', roles: [{ role: 'leader' }] },
    ...Array.from({ length: readers }, (_, i): Member => ({ id: `reader${String(i + 1).padStart(2, '0')}`, clearance: readerClearance(i + 1), roles: [] })),
  ];
}

export const readerIds = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `reader${String(from + i).padStart(2, '0')}`);
