/**
 * What a command may touch of the outside world, passed in so that tests run commands in-process
 * with captured output, their own environment and working directory.
 */
export type Output = { write(text: string): unknown };

export type CliIo = {
  stdout: Output;
  stderr: Output;
  /** The environment: CUSTODY_HOME, CUSTODY_SERVER, HOME. */
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths given on the command line are resolved against this. */
  cwd: string;
  /** The HTTP client's transport; tests may substitute one. Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** The clock a signature is dated by (`custody sign`); tests may substitute one. Defaults to the system clock. */
  clock?: () => string;
  /** Waiting between polls (custody checkpoint --wait); tests substitute one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
};

/** The real process's streams, environment and working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Writes lines to an output, each ending in a newline. */
export const writeLines = (out: Output, ...lines: string[]): void => void out.write(lines.map((l) => `${l}\n`).join(''));

/** Machine-readable output: one JSON document, pretty-printed, on stdout. */
export const writeJson = (io: CliIo, value: unknown): void =>
  void io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);

const jsonReplacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
