import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { EXIT } from '../../src/cli/errors.js';
import { ledgerWithPeople, people, scratchDir, stdoutJson } from './harness.js';

/** `custody reads` against a real server on 127.0.0.1, its read log in data/custody.reads.db. */
describe('custody reads', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningServer | undefined;
  const { as, ok } = people(
    () => dir,
    () => server?.url,
  );

  beforeAll(async () => {
    ({ dir, cleanup } = await scratchDir());
    await ledgerWithPeople({
      dir,
      ok,
      setServer: (started) => (server = started),
      enrollees: [{ id: 'clerk', roles: '[{"role":"registry-clerk","registry":"R1"}]' }, { id: 'reader', roles: '[]' }],
      server: { checkpointSeconds: 0 },
    });
    await ok('clerk', [
      'prepare', 'RegisterCarrier', 'carrierId=C1', 'description.kind=document', 'description.classification=secret', 'description.title=Budget',
      'description.originator=Central Office', 'description.reference=CO-1', 'description.copyNumber=1', 'description.itemCount=3',
      'description.registry=R1', 'holder=clerk', 'location=R1 safe 1', 'registeredBy=clerk', '--sign', '--submit',
    ]);
  });
  afterAll(async () => {
    await server?.close();
    await cleanup();
  });

  it('shows officers who looked at a carrier, and whether they were shown it', async () => {
    await ok('clerk', ['where', 'C1']);
    expect((await as('reader', ['where', 'C1'])).code).not.toBe(0);
    const page = stdoutJson(await ok('officer', ['reads', '--carrier', 'C1', '--json'])) as { items: Array<Record<string, unknown>> };
    expect(page.items.map((r) => [r.personId, r.kind, r.outcome])).toEqual([
      ['clerk', 'carrier', 'shown'],
      ['reader', 'carrier', 'not-found-or-hidden'],
    ]);
    const lines = (await ok('officer', ['reads', '--person', 'reader'])).stdout;
    expect(lines).toMatch(/PERSON/);
    expect(lines).toMatch(/reader\s+carrier\s+C1\s+.*not-found-or-hidden/);
  });

  it('refuses anyone but security officers and investigators, and bad limits', async () => {
    expect((await as('reader', ['reads'])).code).toBe(EXIT.auth);
    const bad = await as('officer', ['reads', '--limit', '0']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/--limit/);
  });

  it('keeps the log in a file only its owner may read', async () => {
    expect((await stat(join(dir, 'data/custody.reads.db'))).mode & 0o777).toBe(0o600);
  });
});
