import { z } from 'zod';
import { CarrierId, Hash, IsoTime, Location, PersonId, PublicKey, RegistryId } from '../primitives.js';

/**
 * One walk over a zod schema that says, for a person filling it in, what each field is: its label,
 * its type in words, its choices, whether it must be given, its default and its limits. The web
 * app's forms, the CLI's per-command help and its error messages all read this, so a field is
 * described once, in the schema (`.describe()` / `.meta({ title, description, examples })`).
 */

/** What a picker may offer for a field: the enrolled people, the registered carriers, ... */
export type Picker = 'person' | 'carrier' | 'registry' | 'location';
/** Text whose shape is fixed; `time` is a UTC instant as YYYY-MM-DDTHH:mm:ss.sssZ. */
export type TextFormat = 'time' | 'hash' | 'public-key';

type Base = {
  /** The field's name in its object, '' for the root or a list's item. */
  name: string;
  /** Where it sits in the value, e.g. ['description', 'kind']; a list's item adds no segment. */
  path: string[];
  /** A short label in words ("Carrier id", or the schema's `title`). */
  label: string;
  /** The schema's description, when it is more than a type tag. */
  help?: string;
  /** True when the person must give it: neither optional nor defaulted. */
  required: boolean;
  /** True when null is an accepted value ("none"). */
  nullable: boolean;
  /** Present when the field has a default: the value used when it is left out. */
  default?: unknown;
  picker?: Picker;
};

export type FieldDescriptor = Base &
  (
    | { kind: 'text'; format?: TextFormat; minLength?: number; maxLength?: number; pattern?: string }
    | { kind: 'id'; of: 'person' | 'carrier' | 'registry'; maxLength?: number }
    | { kind: 'number'; integer: boolean; min?: number; max?: number }
    | { kind: 'boolean' }
    | { kind: 'choice'; choices: string[] }
    | { kind: 'fixed'; value: string | number | boolean | null }
    | { kind: 'list'; item: FieldDescriptor; minItems?: number; maxItems?: number; distinct: boolean }
    | { kind: 'group'; fields: FieldDescriptor[] }
    | { kind: 'variants'; discriminator: string; variants: Variant[] }
    | { kind: 'any' }
  );
export type FieldKind = FieldDescriptor['kind'];
export type Variant = { value: string; label: string; fields: FieldDescriptor[] };

type Schema = z.ZodType;
type Def = { type: string; [key: string]: unknown };
type CheckDef = { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean; format?: string; pattern?: RegExp };

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const parentOf = (schema: Schema): Schema | undefined => (schema as unknown as { _zod: { parent?: Schema } })._zod.parent;
const checksOf = (schema: Schema): CheckDef[] =>
  ((defOf(schema).checks as Array<{ _zod: { def: CheckDef } }> | undefined) ?? []).map((c) => c._zod.def);

/** The primitives a field is recognised by, through any `.describe()`/`.meta()` put on top of them. */
const PRIMITIVES: Array<[Schema, Partial<FieldDescriptor> & { tag?: string }]> = [
  [PersonId, { kind: 'id', of: 'person', picker: 'person', tag: 'PersonId' }],
  [CarrierId, { kind: 'id', of: 'carrier', picker: 'carrier', tag: 'CarrierId' }],
  [RegistryId, { kind: 'id', of: 'registry', picker: 'registry', tag: 'RegistryId' }],
  [Location, { picker: 'location' }],
  [IsoTime, { format: 'time' } as Partial<FieldDescriptor>],
  [Hash, { format: 'hash' } as Partial<FieldDescriptor>],
  [PublicKey, { format: 'public-key' } as Partial<FieldDescriptor>],
];
const TAGS = new Set(PRIMITIVES.map(([, p]) => p.tag).filter((t) => t !== undefined));

function primitiveOf(schema: Schema): (typeof PRIMITIVES)[number][1] | undefined {
  for (let s: Schema | undefined = schema; s !== undefined; s = parentOf(s)) {
    const found = PRIMITIVES.find(([p]) => p === s);
    if (found) return found[1];
  }
  return undefined;
}

/** "carrierId" → "Carrier id", "readingHours" → "Reading hours", "top-secret" → "Top secret". */
export function wordsOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Meta = { title?: string; description?: string };
const metaOf = (schema: Schema): Meta => (z.globalRegistry.get(schema) as Meta | undefined) ?? {};

/** Describes `schema` as the field `name` at `path`. */
export function describeField(schema: Schema, name = '', path: string[] = []): FieldDescriptor {
  let required = true;
  let nullable = false;
  let defaultValue: { value: unknown } | undefined;
  let meta: Meta = {};
  let inner = schema;
  // Wrappers first: the outermost title/description wins, the innermost type decides the kind.
  for (;;) {
    meta = { ...metaOf(inner), ...meta };
    const def = defOf(inner);
    if (def.type === 'optional') required = false;
    else if (def.type === 'nullable') nullable = true;
    else if (def.type === 'default' || def.type === 'prefault') {
      required = false;
      defaultValue ??= { value: def.defaultValue };
    } else break;
    inner = def.innerType as Schema;
  }
  const primitive = primitiveOf(inner);
  const help = meta.description !== undefined && !TAGS.has(meta.description) ? meta.description : undefined;
  const base: Base = {
    name,
    path,
    label: meta.title ?? (name === '' ? 'Value' : wordsOf(name)),
    ...(help !== undefined ? { help } : {}),
    required,
    nullable,
    ...(defaultValue !== undefined ? { default: structuredCloneSafe(defaultValue.value) } : {}),
    ...(primitive?.picker ? { picker: primitive.picker } : {}),
  };
  return { ...base, ...typeOf(inner, path, primitive) } as FieldDescriptor;
}

function typeOf(schema: Schema, path: string[], primitive: (typeof PRIMITIVES)[number][1] | undefined): Record<string, unknown> {
  const def = defOf(schema);
  const checks = checksOf(schema);
  const limit = (check: string, key: 'minimum' | 'maximum') => checks.find((c) => c.check === check)?.[key];
  switch (def.type) {
    case 'string': {
      if (primitive?.kind === 'id') return { kind: 'id', of: (primitive as { of: string }).of, maxLength: limit('max_length', 'maximum') };
      const pattern = checks.find((c) => c.check === 'string_format' && c.format === 'regex')?.pattern;
      return dropUndefined({
        kind: 'text',
        format: (primitive as { format?: TextFormat } | undefined)?.format,
        minLength: limit('min_length', 'minimum') ?? limit('length_equals', 'minimum'),
        maxLength: limit('max_length', 'maximum'),
        pattern: pattern?.source,
      });
    }
    case 'number': {
      const bound = (check: string) => checks.find((c) => c.check === check)?.value;
      const integer = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
      return dropUndefined({ kind: 'number', integer, min: bound('greater_than'), max: bound('less_than') });
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return { kind: 'choice', choices: Object.values(def.entries as Record<string, string>) };
    case 'literal': {
      const values = def.values as Array<string | number | boolean | null>;
      return values.length === 1 ? { kind: 'fixed', value: values[0] } : { kind: 'choice', choices: values.map(String) };
    }
    case 'array':
      return dropUndefined({
        kind: 'list',
        item: describeField(def.element as Schema, '', path),
        minItems: limit('min_length', 'minimum'),
        maxItems: limit('max_length', 'maximum'),
        // The ledger's "each ... once" refinements are the only custom checks on its lists.
        distinct: checks.some((c) => c.check === 'custom'),
      });
    case 'object':
      return { kind: 'group', fields: fieldsOf(schema, path) };
    case 'union': {
      const discriminator = def.discriminator as string | undefined;
      if (discriminator === undefined) return { kind: 'any' };
      const variants = (def.options as Schema[]).map((option) => {
        const value = String((defOf(shapeOf(option)[discriminator]!).values as unknown[])[0]);
        return { value, label: metaOf(option).title ?? wordsOf(value), fields: fieldsOf(option, path) };
      });
      return { kind: 'variants', discriminator, variants };
    }
    case 'pipe': {
      // A pipe's input is what a person writes; its output's limits (a list's maximum) still bind.
      const described = describeField(def.in as Schema, '', path) as Record<string, unknown>;
      const out = describeField(def.out as Schema, '', path) as Record<string, unknown>;
      const { name: _n, path: _p, label: _l, required: _r, nullable: _u, ...type } = described;
      for (const key of ['maxItems', 'maxLength', 'max'] as const) if (out[key] !== undefined) type[key] = out[key];
      return type;
    }
    default:
      return { kind: 'any' };
  }
}

/** The fields of an object schema, in the order the schema declares them. */
export function fieldsOf(schema: Schema, path: string[] = []): FieldDescriptor[] {
  return Object.entries(shapeOf(schema)).map(([name, field]) => describeField(field, name, [...path, name]));
}

export const shapeOf = (schema: Schema): Record<string, Schema> => (defOf(schema).shape as Record<string, Schema> | undefined) ?? {};

const dropUndefined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

const structuredCloneSafe = (value: unknown): unknown => (value === null || typeof value !== 'object' ? value : JSON.parse(JSON.stringify(value)));
