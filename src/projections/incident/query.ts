import { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../../domain/errors.js';
import { CarrierId, Classification, Location, PersonId, type IsoTime } from '../../domain/primitives.js';
import { parsed } from '../input.js';
import { parseInstant } from '../time.js';

/** What an investigator asks: a window, narrowed by any of a person, a location, a level, a set of carriers. */
export const IncidentQueryInput = z
  .object({
    from: z.string(),
    to: z.string(),
    person: PersonId.optional(),
    location: Location.optional(),
    /** Only carriers at this classification or above. */
    minClassification: Classification.optional(),
    carrierIds: z.array(CarrierId).min(1).max(10_000).optional(),
    /** The timeline stops after this many acts (the report says so); default 10 000. */
    maxActs: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type IncidentQueryInput = z.input<typeof IncidentQueryInput>;

export type IncidentQuery = Omit<z.infer<typeof IncidentQueryInput>, 'from' | 'to' | 'maxActs'> & {
  from: IsoTime;
  to: IsoTime;
  maxActs: number;
};

/** Parses and normalises the query; every problem at once, each naming its field. */
export function parseIncidentQuery(input: unknown): IncidentQuery {
  const query = parsed(IncidentQueryInput, input, 'incident query');
  const issues: ValidationIssue[] = [];
  const instant = (field: 'from' | 'to'): IsoTime => {
    try {
      return parseInstant(query[field], field);
    } catch (error) {
      issues.push(...(error as ValidationError).issues);
      return '';
    }
  };
  const from = instant('from');
  const to = instant('to');
  if (issues.length === 0 && to < from) {
    issues.push({ path: ['to'], code: 'invalid_window', message: `to (${to}) is before from (${from})` });
  }
  if (issues.length > 0) throw new ValidationError('invalid incident query', issues);
  return { ...query, from, to, maxActs: query.maxActs ?? 10_000 };
}
