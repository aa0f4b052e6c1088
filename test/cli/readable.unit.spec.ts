import { describe, expect, it } from 'vitest';
import { describeAct, describeRecord, durationInWords, withoutDefaults } from '../../src/cli/format.js';
import { describeOutcome } from '../../src/cli/outcome.js';

const ACT_ID = '0123456789abcdef'.repeat(4);
const OPEN = {
  act: {
    v: 1 as const,
    ledger: 'L1',
    command: { type: 'OpenCirculation', data: { carrierId: 'C1', circulationId: 'circ-1', readers: ['analyst'], purpose: 'reading', urgent: false, openedBy: 'clerk' } },
    time: '2026-11-23T09:00:00.000Z',
    signers: ['clerk'],
    events: [{ stream: 'carrier-C1', revision: 3, prevHash: 'c'.repeat(64), type: 'CirculationOpened', data: {} }],
  },
  signatures: [],
};

describe('output for a person', () => {
  it('an act shows its short id and only the values the schema did not default; --verbose keeps all', () => {
    const lines = describeAct(OPEN as never, ACT_ID);
    expect(lines[0]).toBe('OpenCirculation  act 0123456789ab');
    expect(lines).toContain('  data      carrierId=C1 circulationId=circ-1 readers=["analyst"] openedBy=clerk');
    const verbose = describeAct(OPEN as never, ACT_ID, { verbose: true });
    expect(verbose[0]).toBe(`OpenCirculation  act ${ACT_ID}`);
    expect(verbose).toContain('  data      carrierId=C1 circulationId=circ-1 readers=["analyst"] purpose=reading urgent=false openedBy=clerk');
  });

  it('drops defaults inside groups too, and a group left empty', () => {
    const data = { carrierIds: ['C1'], destination: { registry: null, person: 'director' }, seal: null, purpose: 'delivery', leavesPremises: false };
    expect(withoutDefaults('DispatchTransport', data)).toEqual({ carrierIds: ['C1'], destination: { person: 'director' }, leavesPremises: false });
    expect(withoutDefaults('Unknown', data)).toBe(data);
  });

  it('outcomes name the short act id unless verbose', () => {
    const appended = { status: 'appended' as const, actId: ACT_ID, events: [{ stream: 'carrier-C1', revision: 4 }] };
    expect(describeOutcome(appended)).toEqual(['Appended act 0123456789ab', '  carrier-C1 revision 4']);
    expect(describeOutcome(appended, { verbose: true })[0]).toBe(`Appended act ${ACT_ID}`);
  });

  it('aligns every value in one column, however long a nested name is', () => {
    const lines = describeRecord({ id: 'C1', transport: { destination: { registry: 'R2' } } });
    expect(lines).toEqual(['id                              C1', 'transport.destination.registry  R2']);
  });

  it('says durations in words, never "0 h"', () => {
    expect([41_000, 12 * 60_000, 3 * 3_600_000 + 5 * 60_000, 2 * 86_400_000 + 4 * 3_600_000, 86_400_000, 2 * 3_600_000].map(durationInWords)).toEqual([
      '41 s',
      '12 min',
      '3 h 5 min',
      '2 days 4 h',
      '1 day',
      '2 h',
    ]);
  });
});

describe('custody lineage counts the copies in words', () => {
  it('"1 copy", "3 copies" with copies of copies, "no copies"', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { generateKeyPair } = await import('../../src/crypto/ed25519.js');
    const { run, scratchDir } = await import('./harness.js');
    const { dir, cleanup } = await scratchDir();
    try {
      await writeFile(join(dir, 'c.key'), JSON.stringify({ personId: 'c', ...generateKeyPair() }), { mode: 0o600 });
      await mkdir(join(dir, '.custody'));
      const session = { server: 'http://127.0.0.1:9', personId: 'c', token: 't', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), keyFile: join(dir, 'c.key') };
      await writeFile(join(dir, '.custody/session.json'), JSON.stringify(session), { mode: 0o600 });
      const node = (carrierId: string, copies: unknown[] = []) => ({ carrierId, copyNumber: 1, status: 'held', holders: ['c'], location: 'L', since: 'T', copies });
      const lineageOf = async (tree: unknown) => {
        const fetch: typeof globalThis.fetch = async () => new Response(JSON.stringify({ ancestors: [], tree }), { status: 200 });
        return (await run(['lineage', 'C1'], { cwd: dir, fetch })).stdout.split('\n')[0];
      };
      expect(await lineageOf(node('C1', [node('C1-1')]))).toBe('C1 and 1 copy:');
      expect(await lineageOf(node('C1', [node('C1-1', [node('C1-1-1')]), node('C1-2')]))).toBe('C1 and 3 copies:');
      expect(await lineageOf(node('C1'))).toBe('C1 and no copies:');
    } finally {
      await cleanup();
    }
  });
});
