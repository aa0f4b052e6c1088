import type { z } from 'zod';
import { PersonCommand } from '../../../src/domain/person/commands.js';
import { decidePerson, type PersonContext } from '../../../src/domain/person/decide.js';
import type { PersonEvent } from '../../../src/domain/person/events.js';
import { evolvePerson } from '../../../src/domain/person/evolve.js';
import { initialPersonState, type PersonState } from '../../../src/domain/person/state.js';
import type { IsoTime } from '../../../src/domain/primitives.js';
import { T0, at, directory } from '../fixtures.js';
import { outcomesOf } from '../outcomes.js';

type Given = PersonEvent & { time?: IsoTime };

/** Folds one person's history: each event at its own time (default: one hour apart from T0). */
export function personAfter(history: Given[]): PersonState {
  return history.reduce<PersonState>(
    (state, event, i) => evolvePerson(state, { ...event, time: event.time ?? at(i) } as never),
    initialPersonState(),
  );
}

/**
 * Given the events of the person the command is about → when command → then events (or refused).
 * The directory is the fixtures' cast (unless given), with the folded person in it as the ledger
 * would have them; nobody holds anything unless `holdingsOf` says so.
 */
export function given(history: Given[] = [], context: Partial<PersonContext> = {}) {
  const state = personAfter(history);
  const persons = new Map(context.persons ?? directory());
  if (state.status !== 'none') persons.set(state.id, state);
  const ctx: PersonContext = {
    now: context.now ?? at(history.length),
    persons,
    holdingsOf: context.holdingsOf ?? (() => []),
  };
  return {
    when(input: z.input<typeof PersonCommand>) {
      const command = PersonCommand.parse(input);
      const run = () => decidePerson(command, state, ctx);
      return outcomesOf(run);
    },
  };
}

export { T0, at };
