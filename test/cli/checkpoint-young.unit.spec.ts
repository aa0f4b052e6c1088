import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { run, scratchDir } from './harness.js';

const NONE_YET = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no checkpoint signed yet' };

/** A server whose answers to GET /checkpoints/latest are `answers`, in turn. */
function checkpointServer(answers: Array<{ status: number; body: unknown }>) {
  let asked = 0;
  const fetch: typeof globalThis.fetch = async () => {
    const answer = answers[Math.min(asked++, answers.length - 1)]!;
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/problem+json' } });
  };
  return { fetch, asked: () => asked };
}

describe('custody checkpoint on a young ledger, before the first checkpoint is signed', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await scratchDir());
    await writeFile(join(dir, 'inv.key'), JSON.stringify({ personId: 'inv', ...generateKeyPair() }), { mode: 0o600 });
    await mkdir(join(dir, '.custody'));
    const session = { server: 'http://127.0.0.1:9', personId: 'inv', token: 't', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), keyFile: join(dir, 'inv.key') };
    await writeFile(join(dir, '.custody/session.json'), JSON.stringify(session), { mode: 0o600 });
  });
  afterEach(() => cleanup());

  it('says there is none yet and what to do: --wait, or an officer takes one (exit 3)', async () => {
    const server = checkpointServer([{ status: 404, body: NONE_YET }]);
    const result = await run(['checkpoint', '--out', 'cp.txt'], { cwd: dir, fetch: server.fetch });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^custody checkpoint: not found: no checkpoint signed yet: .* custody checkpoint --wait waits for it; a security officer can sign one now with custody checkpoint --take\n/);
  });

  it('--wait asks again every 5 s while there is none', async () => {
    const server = checkpointServer([
      { status: 404, body: NONE_YET },
      { status: 404, body: NONE_YET },
      { status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'stopping' } },
    ]);
    const slept: number[] = [];
    const result = await run(['checkpoint', '--wait', '--out', 'cp.txt'], { cwd: dir, fetch: server.fetch, sleep: async (ms) => void slept.push(ms) });
    expect(slept).toEqual([5_000, 5_000]);
    expect(server.asked()).toBe(3);
    expect(result.stderr).toMatch(/^No checkpoint signed yet; waiting for the server to sign the first/);
    expect(result.code).toBe(5);
  });
});
