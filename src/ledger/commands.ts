import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';

// The command union lives in the domain (src/domain/ledger-command.ts); re-exported for existing imports.
export { LedgerCommand, isCarrierCommand, isPersonCommand, isPolicyCommand, type LedgerCommandInput } from '../domain/ledger-command.js';

/** zod issues as data: one `{ path, code, message }` per problem. */
export function toValidationError(message: string, error: z.ZodError): ValidationError {
  return new ValidationError(
    message,
    error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: issue.code,
      message: issue.message,
    })),
  );
}

export function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw toValidationError(`invalid ${what}`, result.error);
  return result.data;
}
