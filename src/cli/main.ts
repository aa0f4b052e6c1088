import { processIo } from './io.js';
import { runCli } from './run.js';

// The process's exit code is the command's; exitCode (not exit()) lets pending output flush first.
process.exitCode = await runCli(process.argv.slice(2), processIo());
