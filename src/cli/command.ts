import type { CliIo } from './io.js';

/** One `custody` command: its own module under commands/, listed in commands/index.ts. */
export type Command = {
  name: string;
  /** One line for `custody --help`. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  /** A narrower `--help` for these arguments (`prepare RegisterCarrier --help`), when there is one. */
  helpFor?(args: string[]): string | undefined;
  /** Returns the exit code; throws CliError (or a client error) for failures, which run.ts reports. */
  run(args: string[], io: CliIo): Promise<number>;
};
