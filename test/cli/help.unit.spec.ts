import { describe, expect, it } from 'vitest';
import { commandNames, loadCommands } from '../../src/cli/commands/index.js';
import { run } from './harness.js';

const cwd = '/nonexistent-cli-test-dir';

describe('help', () => {
  it.each(commandNames)('custody %s --help prints its usage and exits 0 without touching anything', async (name) => {
    const result = await run([name, '--help'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: custody ${name} `));
    expect(result.stdout).toContain('--json');
    expect(result.stderr).toBe('');
  });

  it('-h works too, even with other (wrong) flags around it', async () => {
    const result = await run(['sign', '--bogus', '-h'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: custody sign /);
  });

  it('custody --help lists every command and documents the exit codes', async () => {
    const result = await run(['--help'], { cwd });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    for (const command of await loadCommands()) {
      expect(lines.find((line) => line.startsWith(`  ${command.name} `))?.trimEnd()).toMatch(new RegExp(` {2}${command.summary.replace(/[()]/g, '\\$&')}$`));
    }
    for (const code of ['0  done', '1  refused', '2  usage', '3  not found', '4  authentication', '5  cannot reach']) {
      expect(result.stdout).toContain(code);
    }
  });

  it('custody help <command> prints that command\'s usage', async () => {
    const result = await run(['help', 'prepare'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: custody prepare /);
    expect(result.stdout).toContain('TransferCustody');
  });

  it('no command at all is a usage error (exit 2) with the overview on stderr', async () => {
    const result = await run([], { cwd });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^custody: the chain-of-custody ledger/);
  });

  it('an unknown command is a usage error (exit 2) naming it', async () => {
    const result = await run(['sing', 'x.json'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('custody: unknown command "sing"; custody --help lists them\n');
  });

  it('an unknown flag is a usage error (exit 2) that prints the command\'s usage', async () => {
    const result = await run(['where', 'C1', '--bogus'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^custody where: unknown option --bogus\n\nUsage: custody where /);
  });
});
