import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

/**
 * Query input as the API or the CLI hands it over, checked against a zod schema: a failure is a
 * ValidationError listing every issue with the field it concerns, never a stack trace.
 */
export function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    `invalid ${what}`,
    result.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: issue.code,
      message: issue.message,
    })),
  );
}

/** One identifier or place, with the issue naming the query's own field (`carrierId`, `personId`). */
export function checkedField<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'invalid';
  throw new ValidationError(`invalid ${field}`, [{ path: [field], code: 'invalid_value', message: `${field}: ${message}` }]);
}
