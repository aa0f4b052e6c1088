import type { IsoTime } from '../primitives.js';
import type { PersonEvent } from './events.js';
import type { PersonState } from './state.js';

/** Folds one recorded person event into the state. Pure; `time` is the act's time. */
export function evolvePerson(state: PersonState, event: PersonEvent & { time: IsoTime }): PersonState {
  const { time } = event;
  if (event.type === 'PersonEnrolled') {
    const d = event.data;
    return {
      status: 'active',
      id: d.personId,
      name: d.name,
      unit: d.unit,
      clearance: d.clearance,
      roles: d.roles,
      keys: [{ publicKey: d.publicKey, validFrom: time, validUntil: null, revokedFrom: null }],
      enrolledAt: time,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PersonKeyRotated':
      return {
        ...state,
        keys: [
          ...state.keys.map((k) => (k.validUntil === null ? { ...k, validUntil: time } : k)),
          { publicKey: event.data.publicKey, validFrom: time, validUntil: null, revokedFrom: null },
        ],
      };
    case 'PersonKeyRevoked':
      return {
        ...state,
        keys: state.keys.map((k) =>
          k.publicKey === event.data.publicKey ? { ...k, revokedFrom: event.data.revokedFrom } : k,
        ),
      };
    case 'PersonRolesChanged':
      return { ...state, roles: event.data.roles };
    case 'PersonClearanceChanged':
      return { ...state, clearance: event.data.clearance };
    case 'PersonDeactivated':
      return { ...state, status: 'deactivated' };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
