import type { FieldDescriptor } from '../../domain/describe/index.js';

/** Form values as the command's data, edited immutably by path. */
export type Path = Array<string | number>;

export function getIn(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[key] : undefined), value);
}

export function setIn<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const container = (Array.isArray(value) ? [...(value as unknown[])] : { ...((value as object | null) ?? {}) }) as Record<string | number, unknown>;
  container[head!] = setIn(container[head!], rest, next);
  if (next === undefined && rest.length === 0 && !Array.isArray(container)) delete container[head!];
  return container as T;
}

/** The starting value of a field: its default, or nothing. */
export function initialOf(field: FieldDescriptor): unknown {
  if ('default' in field && field.default !== undefined) return field.default;
  if (field.kind === 'group' && field.required) return Object.fromEntries(field.fields.map((f) => [f.name, initialOf(f)]).filter(([, v]) => v !== undefined));
  if (field.kind === 'list' && field.required) {
    // A list that must have items starts with as many empty rows as it needs.
    return Array.from({ length: field.minItems ?? 0 }, () => initialOf({ ...field.item, required: true }) ?? (field.item.kind === 'group' ? {} : ''));
  }
  if (field.kind === 'fixed') return field.value;
  if (field.kind === 'boolean' && field.required) return false;
  return undefined;
}

export function initialData(fields: FieldDescriptor[], preset: Record<string, unknown> = {}): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = initialOf(field);
    if (value !== undefined) data[field.name] = value;
  }
  return deepMerge(data, preset);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
