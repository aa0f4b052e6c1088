import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { storeContract } from './contract.js';

storeContract('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('memory event store', () => {
  it('starts empty, with head position 0n and nothing to read', async () => {
    const store = createMemoryStore();
    expect(await store.headPosition()).toBe(0n);
    expect(await store.readAll()).toEqual([]);
    await store.close();
  });
});
