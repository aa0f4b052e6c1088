import { CarrierCommand, type CarrierCommandInput } from '../../../src/domain/carrier/commands.js';
import type { CarrierContext, Decision } from '../../../src/domain/carrier/context.js';
import { decideCarrier } from '../../../src/domain/carrier/decide.js';
import { evolveCarrier } from '../../../src/domain/carrier/evolve.js';
import { initialCarrierState, type CarrierState } from '../../../src/domain/carrier/state.js';
import { carriersOf } from '../../../src/domain/carrier/targets.js';
import { defaultPolicy } from '../../../src/domain/policy/policy.js';
import type { IsoTime } from '../../../src/domain/primitives.js';
import { T0, at, directory } from '../fixtures.js';
import { outcomesOf } from '../outcomes.js';

type Given = Decision[number] & { time?: IsoTime };

/** Folds a history into the states decide sees: each event at its own time (default: one hour apart from T0). */
export function statesAfter(history: Given[]): Map<string, CarrierState> {
  const states = new Map<string, CarrierState>();
  history.forEach(({ carrierId, event, time }, i) => {
    const state = states.get(carrierId) ?? initialCarrierState();
    states.set(carrierId, evolveCarrier(state, { ...event, time: time ?? at(i) } as never));
  });
  return states;
}

/**
 * Given events → when command → then events (or then refused, naming the rule).
 * The command is parsed as the API would parse it, so defaults apply.
 */
export function given(history: Given[] = [], context: Partial<CarrierContext> = {}) {
  const ctx: CarrierContext = {
    now: context.now ?? at(history.length),
    policy: context.policy ?? defaultPolicy,
    persons: context.persons ?? directory(),
  };
  return {
    when(input: CarrierCommandInput) {
      const command = CarrierCommand.parse(input);
      const known = statesAfter(history);
      const states = new Map(carriersOf(command).map((id) => [id, known.get(id) ?? initialCarrierState()]));
      const run = () => decideCarrier(command, states, ctx);
      return outcomesOf(run);
    },
  };
}

export { T0, at };
