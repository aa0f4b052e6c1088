import { loadCommand, loadCommands } from './commands/index.js';
import { wantsHelp } from './args.js';
import { EXIT, EXIT_CODE_HELP, usageError } from './errors.js';
import { writeLines, type CliIo } from './io.js';
import { errorJson, errorLines, toCliError } from './report.js';

export async function mainHelp(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'custody: the chain-of-custody ledger from a terminal.',
    '',
    'Usage: custody <command> [arguments] [--json] [--help]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help (what it does, its flags) and --json (machine-readable output on stdout;',
    'errors as JSON on stderr). Environment: CUSTODY_HOME (where the login session is kept, default',
    '~/.custody), CUSTODY_SERVER (the server when --server is not given).',
    '',
    EXIT_CODE_HELP,
  ].join('\n');
}

/** Runs one command line and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Flags before the command name (`custody --json where C1`) belong to the command.
  const leading = argv.filter((a, i) => a.startsWith('-') && argv.slice(0, i).every((b) => b.startsWith('-')));
  const [name, ...rest] = argv.slice(leading.length);
  const args = [...rest, ...leading.filter((a) => a !== '--help' && a !== '-h')];
  const json = args.includes('--json');

  if (name === undefined || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const asked = leading.includes('--help') || leading.includes('-h') || name === 'help';
    const command = topic === undefined ? undefined : await loadCommand(topic);
    if (topic !== undefined && command === undefined) return fail(io, usageError(`unknown command ${JSON.stringify(topic)}`), '', json, false);
    writeLines(asked ? io.stdout : io.stderr, command?.usage ?? (await mainHelp()));
    return asked ? EXIT.ok : EXIT.usage;
  }
  const command = await loadCommand(name);
  if (command === undefined) {
    return fail(io, usageError(`unknown command ${JSON.stringify(name)}; custody --help lists them`), '', json, false);
  }
  if (wantsHelp(args) || leading.includes('--help') || leading.includes('-h')) {
    writeLines(io.stdout, command.helpFor?.(args) ?? command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    return fail(io, toCliError(error), command.name, json, true, command.usage);
  }
}

function fail(io: CliIo, error: ReturnType<typeof toCliError>, command: string, json: boolean, withUsage = true, usage = ''): number {
  if (json) {
    writeLines(io.stderr, JSON.stringify(errorJson(error)));
  } else {
    writeLines(io.stderr, ...errorLines(error, command));
    if (withUsage && usage !== '' && error.extra.showUsage) writeLines(io.stderr, '', usage);
  }
  return error.exitCode;
}
