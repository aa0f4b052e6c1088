/**
 * The commands a person may issue, described for people: one walk over the zod schemas gives each
 * field's label, type, choices, required/optional, default and limits; a working example per
 * command; and a failed parse as one sentence per field, all at once. The web app's forms, the
 * CLI's `prepare <Type> --help` and its error messages read this, so nothing lists fields twice.
 *
 * Pure and browser-safe: imports zod and src/domain only.
 *
 *   const register = commandDescriptor('RegisterCarrier')!;
 *   register.purpose              // one line
 *   register.fields               // FieldDescriptor[]: kind text | id | number | boolean | choice | fixed | list | group | variants
 *   register.example              // data that parses
 *   const checked = checkCommand('RegisterCarrier', data);
 *   if (!checked.ok) checked.problems.map((p) => p.message);   // "description.reference must be text, ..."
 *
 * Labels come from a schema's `.meta({ title })`, else from the field's name in words; help texts
 * from `.describe()` (a primitive's type tag, such as 'PersonId', is not help); a command's purpose
 * from `.describe()` on the command schema.
 */
import { commandDescriptor } from './commands.js';
import { explainIssues, type FieldProblem } from './issues.js';

export { commandDescriptor, commandDescriptors, describeCommand, fieldAt } from './commands.js';
export type { CommandDescriptor, CommandGroup } from './commands.js';
export { describeField, fieldsOf, wordsOf } from './field.js';
export type { FieldDescriptor, FieldKind, Picker, TextFormat, Variant } from './field.js';
export { exampleOfField, exampleOfFields } from './example.js';
export { explainIssues, pathInWords } from './issues.js';
export type { FieldProblem } from './issues.js';
export { plural, typeInWords } from './words.js';

export type CheckedCommand =
  | { ok: true; command: { type: string; data: Record<string, unknown> } }
  | { ok: false; problems: FieldProblem[] };

/**
 * Parses `data` as the command `type`'s data: the parsed command (defaults applied), or every
 * problem in words, with paths relative to the data. An unknown type is one problem on `type`.
 */
export function checkCommand(type: string, data: unknown): CheckedCommand {
  const descriptor = commandDescriptor(type);
  if (descriptor === undefined) {
    return { ok: false, problems: [{ path: ['type'], field: 'type', problem: 'not-allowed', message: `there is no command ${JSON.stringify(type)}`, given: type }] };
  }
  const result = descriptor.schema.safeParse({ type, data });
  if (result.success) return { ok: true, command: result.data as { type: string; data: Record<string, unknown> } };
  return { ok: false, problems: explainIssues(result.error.issues, descriptor.fields, { input: data, prefix: ['data'] }) };
}
