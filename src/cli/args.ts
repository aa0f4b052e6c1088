import { parseArgs } from 'node:util';
import { usageError } from './errors.js';

/**
 * Argument parsing on node:util's parseArgs, strict: an unknown flag or a missing value is a usage
 * error (exit 2) that names the flag, never a stack trace.
 */

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
export type OptionSpecs = Record<string, OptionSpec>;

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  /** Keep everything in the output for a person: whole act ids, values the schema defaulted. */
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean'
  ? S['multiple'] extends true ? boolean[] : boolean
  : S['multiple'] extends true ? string[] : string;

export type Parsed<O extends OptionSpecs> = {
  values: { [K in keyof O]?: ValueOf<O[K]> } & { json?: boolean; help?: boolean; verbose?: boolean };
  positionals: string[];
};

export function parseCommandArgs<const O extends OptionSpecs>(args: string[], options: O): Parsed<O> {
  const all: OptionSpecs = { ...COMMON_OPTIONS, ...options };
  try {
    const { values, positionals } = parseArgs({
      args: withDashValues(args, all),
      options: all,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed<O>['values'], positionals };
  } catch (error) {
    throw usageError(describeParseError(error));
  }
}

/**
 * A base64url key starts with '-' one time in 64, and parseArgs takes `--trust -Ab...` for a
 * forgotten value. A value after a flag that takes one is joined to it (`--trust=-Ab...`) unless
 * it is itself one of the command's flags, which still reads as a missing value.
 */
function withDashValues(args: string[], options: OptionSpecs): string[] {
  const takesValue = new Set(Object.entries(options).filter(([, spec]) => spec.type === 'string').map(([name]) => `--${name}`));
  const isFlag = (arg: string) => {
    const name = arg.split('=')[0]!;
    return name === '--' || (name.startsWith('--') ? name.slice(2) in options : Object.values(options).some((spec) => `-${spec.short}` === name));
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (takesValue.has(arg) && next !== undefined && next.startsWith('-') && !isFlag(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
    if (arg === '--') return [...out, ...args.slice(i + 1)];
  }
  return out;
}

/** parseArgs explains at length how to pass a positional that starts with '-'; the first sentence is the point. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument (?:missing|is ambiguous)/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split(/\.\s/)[0] ?? message;
}

/** Whether the user asked for help anywhere before a `--`. */
export const wantsHelp = (args: string[]): boolean => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

/** A flag the command cannot do without. */
export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw usageError(`missing ${flag}`);
  return value;
}

/** Exactly the positionals a command expects, named in the error when one is missing or extra. */
export function positionalsOf(positionals: string[], names: string[], optional: string[] = []): string[] {
  if (positionals.length < names.length) throw usageError(`missing ${names.slice(positionals.length).map((n) => `<${n}>`).join(' ')}`);
  if (positionals.length > names.length + optional.length) {
    throw usageError(`unexpected argument ${JSON.stringify(positionals[names.length + optional.length])}`);
  }
  return positionals;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A person or carrier id as the ledger accepts it (letters, digits and . _ : -, at most 64). */
export function idArg(value: string, what: string): string {
  if (!ID_PATTERN.test(value)) {
    throw usageError(`${what} ${JSON.stringify(value)} is not an id: letters, digits and . _ : - only, starting with a letter or digit, at most 64`);
  }
  return value;
}
