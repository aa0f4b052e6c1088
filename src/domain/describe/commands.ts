import { z } from 'zod';
import { CarrierCommand } from '../carrier/commands.js';
import { PersonCommand } from '../person/commands.js';
import { PolicyCommand } from '../policy/commands.js';
import { exampleOfFields } from './example.js';
import { fieldsOf, shapeOf, type FieldDescriptor } from './field.js';

/** Which stream a command acts on: a carrier's, a person's, or the ledger's policy. */
export type CommandGroup = 'carrier' | 'person' | 'policy';

export type CommandDescriptor = {
  /** The command's `type`, e.g. "RegisterCarrier". */
  type: string;
  group: CommandGroup;
  /** One line: what the act records, from the command schema's `.describe()`. */
  purpose: string;
  /** The fields of its `data`, in the schema's order. */
  fields: FieldDescriptor[];
  /** Data that parses: the schema's `examples` meta when given, else built from the fields. */
  example: Record<string, unknown>;
  /** The command's schema, `{ type, data }`, for parsing and explaining. */
  schema: z.ZodType;
};

const GROUPS: Array<[CommandGroup, { options: readonly z.ZodType[] }]> = [
  ['carrier', CarrierCommand],
  ['person', PersonCommand],
  ['policy', PolicyCommand],
];

/** Describes one command schema (`z.object({ type: z.literal(...), data: z.object(...) })`). */
export function describeCommand(schema: z.ZodType, group: CommandGroup): CommandDescriptor {
  const shape = shapeOf(schema);
  const type = String((shape.type as z.ZodLiteral<string>).value);
  const meta = (z.globalRegistry.get(schema) ?? {}) as { description?: string; examples?: unknown[] };
  const fields = fieldsOf(shape.data!);
  const given = meta.examples?.[0] as { data?: Record<string, unknown> } | undefined;
  return {
    type,
    group,
    purpose: meta.description ?? type,
    fields,
    example: given?.data ?? exampleOfFields(fields),
    schema,
  };
}

let cache: CommandDescriptor[] | undefined;

/** Every command a person may issue, carrier commands first, in the order their unions list them. */
export function commandDescriptors(): CommandDescriptor[] {
  cache ??= GROUPS.flatMap(([group, union]) => union.options.map((option) => describeCommand(option, group)));
  return cache;
}

/** The descriptor of the command called `type`, or undefined when there is none. */
export const commandDescriptor = (type: string): CommandDescriptor | undefined => commandDescriptors().find((c) => c.type === type);

/** The field at `path` (e.g. ['description', 'kind']) among `fields`, through groups, lists and variants. */
export function fieldAt(fields: FieldDescriptor[], path: ReadonlyArray<string | number>): FieldDescriptor | undefined {
  const [head, ...rest] = path;
  if (head === undefined) return undefined;
  if (typeof head === 'number') return undefined;
  const field = fields.find((f) => f.name === head);
  if (field === undefined || rest.length === 0) return field;
  return fieldWithin(field, rest);
}

function fieldWithin(field: FieldDescriptor, path: ReadonlyArray<string | number>): FieldDescriptor | undefined {
  if (path.length === 0) return field;
  if (field.kind === 'list') return typeof path[0] === 'number' ? fieldWithin(field.item, path.slice(1)) : fieldWithin(field.item, path);
  if (field.kind === 'group') return fieldAt(field.fields, path);
  if (field.kind === 'variants') {
    for (const variant of field.variants) {
      const found = fieldAt(variant.fields, path);
      if (found) return found;
    }
  }
  return undefined;
}
