import {
  commandDescriptors,
  exampleOfField,
  fieldAt,
  typeInWords,
  type CommandDescriptor,
  type CommandGroup,
  type FieldDescriptor,
  type FieldProblem,
} from '../domain/describe/index.js';

/**
 * `custody prepare --list` and `custody prepare <Type> --help`, written from the command schemas'
 * descriptors: nothing here lists a field.
 */

const GROUP_TITLES: Record<CommandGroup, string> = { carrier: 'Carriers', person: 'People', policy: 'Policy' };

/** Every command type with its purpose, grouped by what it acts on. */
export function commandList(): string {
  const commands = commandDescriptors();
  const width = Math.max(...commands.map((c) => c.type.length));
  const lines = ['Acts a person may prepare (custody prepare <Type> --help shows its fields and an example):'];
  for (const group of Object.keys(GROUP_TITLES) as CommandGroup[]) {
    lines.push('', `${GROUP_TITLES[group]}:`);
    for (const c of commands.filter((d) => d.group === group)) lines.push(`  ${c.type.padEnd(width)}  ${c.purpose}`);
  }
  return lines.join('\n');
}

type Row = { name: string; required?: boolean; type: string; help?: string };

/** The help of one command type: its purpose, every field, and a working example. */
export function commandHelp(command: CommandDescriptor): string {
  const rows = command.fields.flatMap((f) => rowsOf(f, f.name));
  const width = Math.min(34, Math.max(...rows.map((r) => r.name.length)));
  const indent = ' '.repeat(2 + width + 2 + 8 + 2);
  const lines = rows.flatMap((r) => {
    const name = r.name.length > width ? `${r.name}\n${' '.repeat(2 + width)}` : r.name.padEnd(width);
    const must = r.required === undefined ? '' : r.required ? 'required' : 'optional';
    return [`  ${name}  ${must.padEnd(8)}  ${r.type}`, ...(r.help ? [`${indent}${r.help}`] : [])];
  });
  return [
    `Usage: custody prepare ${command.type} [field=value ...] [--data <json> | --data-file <file>]`,
    `         (--out <act-file> | --submit) [--sign] [--json]`,
    '',
    `${command.purpose}.`,
    '',
    'Fields (field=value; dotted names reach inside a group; lists take a,b,c or JSON):',
    ...lines,
    '',
    'Example:',
    `  custody prepare ${command.type} ${examplePairs(command.example).join(' ')} --sign --out act.json`,
  ].join('\n');
}

function rowsOf(field: FieldDescriptor, name: string): Row[] {
  const type = `${typeInWords(field)}${field.default !== undefined ? `; default ${JSON.stringify(field.default)}` : ''}`;
  const row: Row = { name, required: field.required, type, ...(field.help ? { help: field.help } : {}) };
  if (field.kind === 'group') return [row, ...field.fields.flatMap((f) => rowsOf(f, `${name}.${f.name}`))];
  if (field.kind === 'list' && field.item.kind === 'group') return [row, ...field.item.fields.flatMap((f) => rowsOf(f, `${name}[].${f.name}`))];
  if (field.kind === 'list' && field.item.kind === 'variants') {
    const { discriminator, variants } = field.item;
    return [
      row,
      ...variants.flatMap((v) => {
        const own = v.fields.filter((f) => f.name !== discriminator);
        return [
          { name: `${name}[] ${discriminator}=${v.value}`, type: own.length === 0 ? '(nothing more)' : `(with ${own.map((f) => f.name).join(', ')})` },
          ...own.flatMap((f) => rowsOf(f, `${name}[].${f.name}`)),
        ];
      }),
    ];
  }
  return [row];
}

/** Data as the words a person types: nested groups as dotted names, simple lists as a,b. */
export function examplePairs(data: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(data).flatMap(([key, value]) => {
    const name = `${prefix}${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      return examplePairs(value as Record<string, unknown>, `${name}.`);
    }
    return [`${name}=${shellWord(plainText(value))}`];
  });
}

function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && /^[^,\s"[]+$/.test(v))) return value.join(',');
  return JSON.stringify(value);
}

/** A word the shell passes through as it is: bare when safe, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w./:@+,=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Problems in words, each with how to write the field when that helps. */
export function problemLines(problems: FieldProblem[], command: CommandDescriptor): string[] {
  return problems.map((p) => `  ${p.message}${hint(p, command)}`);
}

function hint(problem: FieldProblem, command: CommandDescriptor): string {
  const field = fieldAt(command.fields, problem.path);
  if (field === undefined || problem.path.some((k) => typeof k === 'number')) return '';
  const name = problem.path.join('.');
  if (problem.problem === 'missing' && field.kind !== 'group') return `; e.g. ${name}=${shellWord(plainText(exampleOfField(field)))}`;
  if (problem.problem === 'wrong-type' && (field.kind === 'text' || field.kind === 'id') && typeof problem.given !== 'string') {
    return `; write ${name}=${shellWord(String(problem.given))} (as text) or give it as a JSON string in --data-file`;
  }
  return '';
}
