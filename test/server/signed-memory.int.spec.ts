import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundle } from '../../src/cli/commands/bundle.js';
import { CliError } from '../../src/cli/errors.js';
import type { CliIo } from '../../src/cli/io.js';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { openLedgerHome } from '../../src/server/home.js';
import { startServer } from '../../src/server/server.js';
import type { EventStore } from '../../src/store/port.js';
import { createCheckpointer } from '../../src/verify/checkpoint/checkpointer.js';
import { CHECKPOINT_STREAM } from '../../src/verify/checkpoint/stream.js';
import { checkpointText, parseCheckpointText } from '../../src/verify/checkpoint/checkpoint.js';
import { formatNote, parseNote, signNoteText } from '../../src/verify/note/note.js';
import { backUp, editFile, enroller, ledgerFiles, usedLedger } from './guard-kit.js';

// Issue 16 hole 2: the key's memory of what it signed lives outside the ledger file.
let dir: string;
let files: ReturnType<typeof ledgerFiles>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-memory-'));
  files = ledgerFiles(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stateCheckpoint = () => (JSON.parse(readFileSync(files.state, 'utf8')) as { checkpoint: string | null }).checkpoint;
const sizeOf = (note: string | null) => (note === null ? null : Number(note.split('\n', 2)[1]));

/** Cuts the ledger file after its first `keep` events, checkpoints included: the file forgets what was signed. */
function cut(keep: number): void {
  editFile(files.db, `DELETE FROM events WHERE stream = '${CHECKPOINT_STREAM}'; DELETE FROM events WHERE position > (SELECT position FROM events ORDER BY position LIMIT 1 OFFSET ${keep - 1})`);
}

async function checkpointerOver(home: Awaited<ReturnType<typeof openLedgerHome>>, store: EventStore = home.store) {
  return createCheckpointer({ store, ledgerKey: { ledgerId: home.ledgerId, ...home.ledgerKey }, log: home.log, memory: home.signedMemory });
}

describe('the last signed checkpoint, kept beside the key', () => {
  it('is written there when a checkpoint is signed', async () => {
    const { home, signed } = await usedLedger(dir);
    expect(stateCheckpoint()).toBe(signed.note);
    await home.close();
  });

  it('after the ledger file is cut (checkpoints and all), the key refuses to sign a smaller history: rollback', async () => {
    await (await usedLedger(dir)).home.close();
    cut(2);
    const home = await openLedgerHome({ dbPath: files.db });
    await expect(checkpointerOver(home)).rejects.toMatchObject({
      name: 'CheckpointRefused',
      reason: 'rollback',
      message: expect.stringMatching(/holds 2 events, but its key signed a checkpoint of 4 .*restore the ledger file from a backup holding at least 4 events/),
    });
    await home.close();
  });

  it('a cut ledger regrown past the signed size is another history: fork, and nothing is signed', async () => {
    const used = await usedLedger(dir);
    await used.home.close();
    cut(2);
    const home = await openLedgerHome({ dbPath: files.db });
    const persons = enroller(home, used.persons.keys);
    for (const id of ['x1', 'x2', 'x3']) await persons.enrol(id);
    expect(home.ledger.model.directory.size).toBe(5);
    await expect(checkpointerOver(home)).rejects.toMatchObject({ reason: 'fork', message: expect.stringMatching(/do not extend the checkpoint of 4/) });
    expect(await home.store.readStream(CHECKPOINT_STREAM)).toEqual([]);
    expect(sizeOf(stateCheckpoint())).toBe(4);
    await home.close();
  });

  it('an older backup of the ledger file put back in place does not start the server', async () => {
    const { home, persons, checkpointer } = await usedLedger(dir, 1);
    await checkpointer.checkpoint();
    await home.close();
    backUp(files.db, join(dir, 'backup.db'));
    const later = await openLedgerHome({ dbPath: files.db });
    await enroller(later, persons.keys).enrol('p2');
    const signed = await (await checkpointerOver(later)).checkpoint();
    await later.close();
    expect(signed.checkpoint.size).toBe(3);
    for (const side of ['', '-wal', '-shm']) if (existsSync(files.db + side)) unlinkSync(files.db + side);
    backUp(join(dir, 'backup.db'), files.db);
    await expect(startServer({ dbPath: files.db, port: 0, checkpointSeconds: 0 })).rejects.toMatchObject({ reason: 'rollback' });
  });

  it('a state file whose checkpoint the key did not sign is refused: it cannot lower the bar', async () => {
    await (await usedLedger(dir)).home.close();
    const forger = generateKeyPair();
    const opened = parseNote(stateCheckpoint()!);
    if (typeof opened === 'string') throw new Error(opened);
    const small = parseCheckpointText(opened.text);
    if (typeof small === 'string') throw new Error(small);
    const text = checkpointText({ ...small, size: 1 });
    const state = JSON.parse(readFileSync(files.state, 'utf8')) as Record<string, unknown>;
    writeFileSync(files.state, JSON.stringify({ ...state, checkpoint: formatNote(text, [signNoteText(text, small.origin, forger.secretKey)]) }));
    const home = await openLedgerHome({ dbPath: files.db });
    await expect(checkpointerOver(home)).rejects.toMatchObject({ reason: 'tampered-state', message: expect.stringMatching(/not one this key signed/) });
    await home.close();
  });

  it('is written before the checkpoint is published: a failed append leaves it remembered, and the next start accepts it', async () => {
    const { home, persons } = await usedLedger(dir);
    await persons.enrol('p4');
    const failing: EventStore = {
      ...home.store,
      append: (request) => (request.stream === CHECKPOINT_STREAM ? Promise.reject(new Error('disk full')) : home.store.append(request)),
    };
    await expect((await checkpointerOver(home, failing)).checkpoint()).rejects.toThrow(/disk full/);
    expect(sizeOf(stateCheckpoint())).toBe(5);
    await home.close();
    const again = await openLedgerHome({ dbPath: files.db });
    expect((await (await checkpointerOver(again)).checkpoint()).checkpoint.size).toBe(5);
    await again.close();
  });

  it('custody bundle with the ledger key refuses to sign over a cut ledger file', async () => {
    await (await usedLedger(dir)).home.close();
    cut(2);
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir };
    const failure = await bundle.run(['--ledger', '--db', 'custody.db', '--out', 'all.jsonl'], io).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).message).toMatch(/refused to sign a checkpoint: the ledger holds 2 events, but its key signed a checkpoint of 4/);
    expect(existsSync(join(dir, 'all.jsonl'))).toBe(false);
  });
});
