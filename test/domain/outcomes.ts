import { expect } from 'vitest';
import { NotFound, RuleViolation, type RuleId } from '../../src/domain/errors.js';

/**
 * The "then" half of given / when / then, for any decider: `decide` is the when, run as often as a
 * check needs it (it is pure, so every run answers the same).
 */
export function outcomesOf<Events>(decide: () => Events) {
  return {
    then(expected: Events): Events {
      const events = decide();
      expect(events).toEqual(expected);
      return events;
    },
    /** The events, so a test can check one field without restating all of them. */
    events(): Events {
      return decide();
    },
    thenRefused(rule: RuleId, message?: RegExp): RuleViolation {
      let error: unknown;
      try {
        decide();
      } catch (e) {
        error = e;
      }
      expect(error, `expected a refusal naming ${rule}`).toBeInstanceOf(RuleViolation);
      const violation = error as RuleViolation;
      expect(violation.rule).toBe(rule);
      if (message) expect(violation.message).toMatch(message);
      return violation;
    },
    thenNotFound(id: string): void {
      expect(decide).toThrow(NotFound);
      expect(decide).toThrow(id);
    },
  };
}
