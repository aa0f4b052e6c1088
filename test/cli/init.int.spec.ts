import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextSteps } from '../../src/cli/commands/init.js';
import { firstEnrolmentHint } from '../../src/server/main.js';
import { run, scratchDir } from './harness.js';

describe('custody init tells how to go on', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await scratchDir()));
  afterEach(() => cleanup());

  it('names the server CUSTODY_SERVER sets, port included, not the default', async () => {
    await run(['keygen', '--no-passphrase', '--id', 'officer', '--out', 'officer.key'], { cwd: dir });
    const result = await run(['init', '--db', 'data/custody.db', '--key', 'officer.key', '--id', 'officer', '--name', 'Wang Fang', '--unit', 'Security'], {
      cwd: dir,
      env: { CUSTODY_SERVER: 'http://127.0.0.1:18080' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Next: start the server on this file (npm start -- --db ${dir}/data/custody.db --port 18080), then\n`);
    expect(result.stdout).toContain(`      custody login --key ${dir}/officer.key --as officer   (CUSTODY_SERVER=http://127.0.0.1:18080)\n`);
    expect(result.stdout).not.toContain('8080 ');
  });

  it('without CUSTODY_SERVER, the default server, named on the login line', () => {
    expect(nextSteps(undefined, '/d/custody.db', '/k/officer.key', 'officer')).toEqual([
      'Next: start the server on this file (npm start -- --db /d/custody.db), then',
      '      custody login --server http://127.0.0.1:8080 --key /k/officer.key --as officer',
    ]);
    expect(nextSteps('https://ledger.example:8443/', '/d/custody.db', '/k/o.key', 'o')[0]).toBe('Next: start the server on this file (npm start -- --db /d/custody.db), then');
  });

  it('the first start tells how to run custody and uses the README\'s file names', () => {
    const hint = firstEnrolmentHint('./data/custody.db', 'http://127.0.0.1:8080');
    expect(hint).toContain('make it a command once with `npm link`');
    expect(hint).toContain(`alias custody="node ${join(import.meta.dirname, '../../bin/custody.js')}"`);
    expect(hint).toContain('    custody keygen --id officer --out officer.key');
    expect(hint).toContain('    custody init --db ./data/custody.db --key officer.key --id officer');
    expect(hint).not.toContain('officer.json');
  });
});
