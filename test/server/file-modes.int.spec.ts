import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedgerHome } from '../../src/server/home.js';
import { startServer } from '../../src/server/server.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createSqliteInbox } from '../../src/inbox/sqlite.js';
import { createKit } from '../ledger/kit.js';

/** Fault 4 of issue #18: what the server writes only its owner may read, and what it cannot read it says why. */

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-modes-'));
  // The usual umask, under which SQLite would create its files 0644.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('files the ledger creates', () => {
  it('are 0600, the WAL and shared-memory files included, and its directory 0700', async () => {
    const home = join(dir, 'data');
    const dbPath = join(home, 'custody.db');
    const opened = await openLedgerHome({ dbPath });
    const kit = await createKit(opened.store);
    await kit.enrol({ id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }] });
    await opened.inbox.awaiting('officer');
    const files = readdirSync(home);
    expect(files).toEqual(expect.arrayContaining(['custody.db', 'custody.db-wal', 'custody.db-shm', 'custody.inbox.db', 'ledger-key.json']));
    for (const file of files) expect(`${file} ${modeOf(join(home, file)).toString(8)}`).toBe(`${file} 600`);
    expect(modeOf(home)).toBe(0o700);
    await opened.close();
  });

  it('the store and the inbox alone create their files 0600 too', async () => {
    const store = createSqliteStore({ path: join(dir, 'events.db') });
    const inbox = createSqliteInbox({ path: join(dir, 'pending.db') });
    await createKit(store).then((kit) => kit.enrol({ id: 'officer', clearance: 'top-secret', roles: [{ role: 'security-officer' }] }));
    for (const file of readdirSync(dir)) expect(`${file} ${modeOf(join(dir, file)).toString(8)}`).toBe(`${file} 600`);
    await inbox.close();
    await store.close();
  });
});

describe('at start', () => {
  it('warns about every ledger file, and the directory, that others may read', async () => {
    const dbPath = join(dir, 'custody.db');
    await (await openLedgerHome({ dbPath })).close();
    chmodSync(join(dir, 'custody.db'), 0o644);
    chmodSync(join(dir, 'custody.inbox.db'), 0o640);
    chmodSync(dir, 0o755);
    const warnings: string[] = [];
    const running = await startServer({ dbPath, port: 0, checkpointSeconds: 0, onWarning: (line) => warnings.push(line) });
    await running.close();
    expect(warnings.join('\n')).toContain(`${join(dir, 'custody.db')} can be read by others (mode 0644): run chmod 600`);
    expect(warnings.join('\n')).toContain(`${join(dir, 'custody.inbox.db')} can be read by others (mode 0640)`);
    expect(warnings.join('\n')).toContain(`${dir} can be entered by others (mode 0755): run chmod 700`);
    expect(warnings.join('\n')).not.toContain('ledger-key.json');
  });

  it('says nothing when every file is private', async () => {
    const dbPath = join(dir, 'custody.db');
    chmodSync(dir, 0o700);
    const warnings: string[] = [];
    const running = await startServer({ dbPath, port: 0, checkpointSeconds: 0, onWarning: (line) => warnings.push(line) });
    await running.close();
    expect(warnings).toEqual([]);
  });

  it('a ledger key file that cannot be read is reported as such, with the reason', async () => {
    const dbPath = join(dir, 'custody.db');
    mkdirSync(join(dir, 'ledger-key.json'), { mode: 0o700 });
    await expect(openLedgerHome({ dbPath })).rejects.toThrow(`${join(dir, 'ledger-key.json')} cannot be read: EISDIR`);
  });

  it('SQLite errors name the file they are about', async () => {
    const notADatabase = join(dir, 'custody.db');
    writeFileSync(notADatabase, 'this is not a database, but a text file of a sufficient length to have a header'.repeat(20));
    expect(() => createSqliteStore({ path: notADatabase })).toThrow(`${notADatabase}: file is not a database`);
    expect(() => createSqliteInbox({ path: notADatabase })).toThrow(`${notADatabase}: file is not a database`);
    const missingDirectory = join(dir, 'nowhere', 'custody.db');
    expect(() => createSqliteStore({ path: missingDirectory })).toThrow(missingDirectory);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});
