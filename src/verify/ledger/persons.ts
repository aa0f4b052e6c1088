import { effectiveTime } from '../../domain/signed-time.js';
import { evolvePerson } from '../../domain/person/evolve.js';
import type { PersonEvent } from '../../domain/person/events.js';
import { initialPersonState, type PersonState } from '../../domain/person/state.js';
import type { KeyResolver } from '../../ledger/signatures.js';
import { historicalKeys } from '../keys.js';
import { asStoredEnvelope } from './envelope-guard.js';
import type { Row } from './source.js';

/**
 * The key resolver for a whole-ledger check: every person's state after all their events, folded
 * from the stored rows with the domain's own `evolvePerson` (the write model would do the same, but
 * would load every schema into each worker). The rows themselves are verified like any other event
 * (their signatures, their chain); an unreadable one is skipped here and reported there.
 */
export function keysFromPersonRows(rows: readonly Row[]): KeyResolver {
  const persons = new Map<string, PersonState>();
  for (const row of rows) {
    try {
      const envelope = asStoredEnvelope(JSON.parse(row.data));
      const event = envelope?.act.events[envelope.index];
      if (!envelope || !event) continue;
      const id = row.stream.slice('person-'.length);
      const folded = { type: event.type, data: event.data, time: effectiveTime(envelope.act, envelope.signatures) } as PersonEvent & { time: string };
      persons.set(id, evolvePerson(persons.get(id) ?? initialPersonState(), folded));
    } catch {
      // reported by the chunk that holds the row
    }
  }
  return historicalKeys(persons);
}
