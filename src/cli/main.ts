import { withCaOption } from './ca.js';
import { processIo } from './io.js';
import { runCli } from './run.js';

const prepared = withCaOption(process.argv.slice(2), processIo());
if ('error' in prepared) {
  process.stderr.write(`${prepared.error}\n`);
  process.exitCode = 5;
} else {
  // The process's exit code is the command's; exitCode (not exit()) lets pending output flush first.
  process.exitCode = await runCli(prepared.argv, prepared.io);
}
