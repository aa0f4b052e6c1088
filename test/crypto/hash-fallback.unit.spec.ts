import * as nodeCrypto from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { sha256Cases } from './hash-cases.js';

// Node before 20.12 has no one-shot `hash`: src/crypto/hash.ts must then use createHash.
vi.mock('node:crypto', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:crypto')>()), hash: undefined }));

it('runs where node:crypto has no one-shot hash', () => {
  expect(nodeCrypto.hash).toBeUndefined();
});

sha256Cases('sha256, through createHash');
