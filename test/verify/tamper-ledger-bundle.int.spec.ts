import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerBundle } from '../../src/verify/bundle/export-ledger.js';
import type { LedgerBundle } from '../../src/verify/bundle/schema.js';
import { verifyBundle } from '../../src/verify/bundle/verify-bundle.js';
import { buildOffice, copyOf, type Office } from './fixture.js';

let office: Office;
let bundle: LedgerBundle;

beforeAll(async () => {
  office = await buildOffice();
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  await writeLedgerBundle(out, { store: office.store, checkpointer: office.checkpointer });
  const [header, ...events] = chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  bundle = { ...header, events } as unknown as LedgerBundle;
});

const verify = (b: LedgerBundle) => verifyBundle(b, office.trust);

describe('a whole-ledger bundle', () => {
  it('verifies, the tree and every stream head rebuilt, every act replayed with nothing left over', () => {
    expect(verify(copyOf(bundle))).toMatchObject({ ok: true, issues: [], notices: [], summary: { events: 21, streams: 13 } });
  });

  it('with a whole stream dropped fails against the checkpoint\'s root and its count of streams', () => {
    const b = copyOf(bundle);
    b.events = b.events.filter((e) => e.stream !== 'carrier-C2').map((e, i) => ({ ...e, leafIndex: i }));
    const codes = verify(b).issues.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['missing-events', 'heads-mismatch']));
    expect(verify(b).issues.find((i) => i.code === 'heads-mismatch')!.message).toMatch(/commits to 13 streams and their heads; the bundle has 12 streams/);
  });

  it('with an event edited fails at that event and against the root, and the replay catches the changed act', () => {
    const b = copyOf(bundle);
    const target = b.events.find((e) => e.stream === 'carrier-C1' && e.revision === 2)!;
    const envelope = target.data as { act: { events: Array<{ data: Record<string, unknown> }> }; index: number };
    envelope.act.events[envelope.index]!.data['location'] = 'the car park';
    const issues = verify(b).issues;
    expect(issues.filter((i) => i.stream === 'carrier-C1' && i.revision === 2).map((i) => i.code)).toEqual(
      expect.arrayContaining(['hash-mismatch', 'bad-signature', 'replay-mismatch']),
    );
    expect(issues.map((i) => i.code)).toContain('root-mismatch');
  });
});
