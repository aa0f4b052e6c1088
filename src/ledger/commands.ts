import { z } from 'zod';
import { CarrierCommand } from '../domain/carrier/commands.js';
import { PersonCommand } from '../domain/person/commands.js';
import { PolicyCommand } from '../domain/policy/commands.js';
import { ValidationError } from '../domain/errors.js';

/** Every command the ledger accepts, carrier, person and policy alike, told apart by `type`. */
export const LedgerCommand = z.discriminatedUnion('type', [...CarrierCommand.options, ...PersonCommand.options, ...PolicyCommand.options]);
export type LedgerCommand = z.infer<typeof LedgerCommand>;
export type LedgerCommandInput = z.input<typeof LedgerCommand>;

export const isPersonCommand = (command: LedgerCommand): command is PersonCommand =>
  PersonCommand.options.some((option) => option.shape.type.value === command.type);

export const isCarrierCommand = (command: LedgerCommand): command is CarrierCommand =>
  CarrierCommand.options.some((option) => option.shape.type.value === command.type);

export const isPolicyCommand = (command: LedgerCommand): command is PolicyCommand =>
  PolicyCommand.options.some((option) => option.shape.type.value === command.type);

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
