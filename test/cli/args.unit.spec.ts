import { describe, expect, it } from 'vitest';
import { idArg, parseCommandArgs, positionalsOf, required, wantsHelp } from '../../src/cli/args.js';
import { CliError, EXIT } from '../../src/cli/errors.js';

const failure = (f: () => unknown): CliError => {
  try {
    f();
  } catch (error) {
    return error as CliError;
  }
  throw new Error('expected a failure');
};

describe('argument parsing', () => {
  const options = { out: { type: 'string' }, force: { type: 'boolean' } } as const;

  it('reads flags, the common --json flag and positionals in any order', () => {
    const parsed = parseCommandArgs(['a.json', '--out', 'x', '--json', '--force', 'b'], options);
    expect(parsed.values).toMatchObject({ out: 'x', json: true, force: true });
    expect(parsed.positionals).toEqual(['a.json', 'b']);
  });

  it('names an unknown flag as a usage error (exit 2)', () => {
    const error = failure(() => parseCommandArgs(['--outt', 'x'], options));
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(EXIT.usage);
    expect(error.message).toBe('unknown option --outt');
  });

  it('names a flag given without its value', () => {
    expect(failure(() => parseCommandArgs(['--out'], options)).message).toBe('--out needs a value');
    expect(failure(() => parseCommandArgs(['--out', '--force'], options)).message).toBe('--out needs a value');
    expect(failure(() => parseCommandArgs(['--out', '-h'], options)).message).toBe('--out needs a value');
  });

  it('takes a value that starts with a dash (a base64url key may), in either form', () => {
    const key = '-x1Ab_9'.padEnd(43, 'Q');
    expect(parseCommandArgs(['--out', key, 'a'], options)).toMatchObject({ values: { out: key }, positionals: ['a'] });
    expect(parseCommandArgs([`--out=${key}`], options).values.out).toBe(key);
    // After --, everything is a positional, as it was.
    expect(parseCommandArgs(['--', '--out', key], options).positionals).toEqual(['--out', key]);
  });

  it('finds --help and -h before a --, not after it', () => {
    expect(wantsHelp(['x', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });

  it('names a missing flag, missing positionals and an extra one', () => {
    expect(failure(() => required(undefined, '--key <key-file>')).message).toBe('missing --key <key-file>');
    expect(failure(() => positionalsOf([], ['act-file'])).message).toBe('missing <act-file>');
    expect(failure(() => positionalsOf(['a', 'b'], ['act-file'])).message).toBe('unexpected argument "b"');
    expect(positionalsOf([], [], ['personId'])).toEqual([]);
  });

  it('accepts ledger ids and refuses anything else, naming the flag', () => {
    expect(idArg('clerk-1.R1:a_b', '--id')).toBe('clerk-1.R1:a_b');
    expect(failure(() => idArg('../etc', '--id')).message).toMatch(/^--id "..\/etc" is not an id/);
    expect(failure(() => idArg('a'.repeat(65), '--id')).exitCode).toBe(EXIT.usage);
  });
});
