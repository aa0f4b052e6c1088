import type { z } from 'zod';
import { fieldAt } from './commands.js';
import type { FieldDescriptor } from './field.js';
import { plural, typeInWords } from './words.js';

/** One problem with one field, in words: `description.reference must be text, at most 100 characters`. */
export type FieldProblem = {
  /** The field's path in the value, e.g. ['description', 'reference'] or ['roles', 0, 'role']. */
  path: Array<string | number>;
  /** The path as written in messages: `description.reference`, `roles[0].role`. */
  field: string;
  /** The whole sentence, naming the field first. */
  message: string;
  /** What went wrong: missing, wrong-type, not-allowed, too-small, too-big, unknown-field, rule. */
  problem: 'missing' | 'wrong-type' | 'not-allowed' | 'too-small' | 'too-big' | 'unknown-field' | 'rule';
  /** The value given, when there was one. */
  given?: unknown;
};

type Issue = z.core.$ZodIssue;

/** `['roles', 0, 'role']` → `roles[0].role`. */
export const pathInWords = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`), '');

/**
 * Every issue of a failed parse as a sentence about its field, all at once, in the order zod found
 * them. `fields` describe the value that was parsed (a command's data); `input` is that value, so a
 * missing field can be told from a wrong one; `prefix` is dropped from each issue's path (the
 * command's `data`).
 */
export function explainIssues(
  issues: readonly Issue[],
  fields: FieldDescriptor[],
  options: { input?: unknown; prefix?: ReadonlyArray<PropertyKey> } = {},
): FieldProblem[] {
  const prefix = options.prefix ?? [];
  return issues.flatMap((issue) => {
    const path = issue.path.slice(startsWith(issue.path, prefix) ? prefix.length : 0).map((k) => (typeof k === 'symbol' ? String(k) : k));
    return explainOne(issue, path, fields, options.input);
  });
}

function explainOne(issue: Issue, path: Array<string | number>, fields: FieldDescriptor[], input: unknown): FieldProblem[] {
  const field = fieldAt(fields, path);
  const name = pathInWords(path) || 'the data';
  const given = valueAt(input, path);
  const problem = (kind: FieldProblem['problem'], message: string): FieldProblem => ({
    path,
    field: name,
    message,
    problem: kind,
    ...(given.present ? { given: given.value } : {}),
  });
  const missing = given.present ? given.value === undefined : /received undefined/.test(issue.message);
  if (missing && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code)) {
    const wanted = field ? expected(field, name) : issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
    return [problem('missing', `${name} is missing: ${wanted}`)];
  }
  switch (issue.code) {
    case 'invalid_type': {
      return [problem('wrong-type', `${name} must be ${field ? typeInWords(field) : issue.expected}${gotText(given)}`)];
    }
    case 'invalid_value':
      return [problem('not-allowed', `${name} must be ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}${gotText(given)}`)];
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options !== undefined) return [problem('not-allowed', `${name} must be one of ${options.map(String).join(', ')}${gotText(given)}`)];
      return [problem('wrong-type', `${name} must be ${field ? typeInWords(field) : 'one of the accepted forms'}${gotText(given)}`)];
    }
    case 'invalid_format':
      return [problem('wrong-type', `${name} must be ${field ? `${typeInWords(field)}: ` : ''}${issue.message}${gotText(given)}`)];
    case 'too_small':
      return [problem('too-small', `${name} ${sizeInWords('at least', issue.origin, Number(issue.minimum))}${gotText(given)}`)];
    case 'too_big':
      return [problem('too-big', `${name} ${sizeInWords('at most', issue.origin, Number(issue.maximum))}${gotText(given)}`)];
    case 'unrecognized_keys': {
      const owner = path.length === 0 ? fields : fieldsOfGroup(field);
      const known = owner.map((f) => f.name).join(', ');
      return issue.keys.map((key) => {
        const at = [...path, key];
        return { path: at, field: pathInWords(at), problem: 'unknown-field' as const, message: `${pathInWords(at)} is not a field${path.length > 0 ? ` of ${name}` : ''}; the fields are ${known}` };
      });
    }
    default:
      return [problem('rule', `${name}: ${issue.message}`)];
  }
}

/** What a missing field wants; for a group, the fields inside it that must be given. */
function expected(field: FieldDescriptor, name: string): string {
  if (field.kind === 'group') {
    const inside = field.fields.map((f) => `${name}.${f.name}${f.required ? '' : ' (optional)'}`);
    return `a group of fields: ${inside.join(', ')}`;
  }
  return typeInWords(field);
}

function fieldsOfGroup(field: FieldDescriptor | undefined): FieldDescriptor[] {
  if (field?.kind === 'group') return field.fields;
  if (field?.kind === 'list') return fieldsOfGroup(field.item);
  return [];
}

function sizeInWords(bound: 'at least' | 'at most', origin: string, size: number): string {
  if (origin === 'string') return size === 1 && bound === 'at least' ? 'must not be empty' : `must be ${bound} ${plural(size, 'character')} long`;
  if (origin === 'array' || origin === 'set') return `must have ${bound} ${plural(size, 'entry')}`;
  return `must be ${bound} ${size}`;
}

function gotText(given: { present: boolean; value?: unknown }): string {
  if (!given.present || given.value === undefined) return '';
  const value = given.value;
  const kind = typeof value === 'number' ? 'the number ' : typeof value === 'boolean' ? '' : '';
  const text = JSON.stringify(value);
  return ` (got ${kind}${text.length > 60 ? `${text.slice(0, 59)}…` : text})`;
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>): { present: boolean; value?: unknown } {
  if (input === undefined) return { present: false };
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return { present: true, value: undefined };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { present: true, value: node };
}

const startsWith = (path: ReadonlyArray<PropertyKey>, prefix: ReadonlyArray<PropertyKey>) => prefix.every((k, i) => path[i] === k);
