import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/server.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custody-starting-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A store whose log cannot be read until `open` is called: a ledger that takes long to read. */
function slowStore(fail = false) {
  const inner = createMemoryStore();
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const store: EventStore = {
    ...inner,
    readAll: async (options) => {
      await opened;
      if (fail) throw new Error('the disk went away');
      return inner.readAll(options);
    },
  };
  return { store, open };
}

function start(store: EventStore) {
  let bound!: (url: string) => void;
  const listening = new Promise<string>((resolve) => (bound = resolve));
  const started = startServer({ dbPath: join(dir, 'custody.db'), store, port: 0, checkpointSeconds: 0, onListening: bound });
  return { listening, started };
}

describe('a server still opening its ledger', () => {
  it('is alive on /health, answers 503 with Retry-After elsewhere, then serves once the log is read', async () => {
    const { store, open } = slowStore();
    const { listening, started } = start(store);
    const url = await listening;
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    for (const path of ['/ready', '/carriers/C1', '/ledger']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ title: 'Not ready', status: 503, detail: expect.stringMatching(/the ledger is (opening|reading its log)/) });
    }
    open();
    const running = await started;
    expect(running.url).toBe(url);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    await running.close();
  });

  it('closes the port again when the ledger cannot be opened', async () => {
    const { store, open } = slowStore(true);
    const { listening, started } = start(store);
    const url = await listening;
    open();
    await expect(started).rejects.toThrow('the disk went away');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
