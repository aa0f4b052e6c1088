import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createVerifier, strictPublicKeyBytes, strictSignatureBytes } from './ed25519.js';

/**
 * One signature to check over the bytes it signed: its own for a v2 signature (the act's id and its
 * signer's time), the act's for a v1 one.
 */
export type SignatureCheck = { publicKey: string; signature: string; message: Uint8Array };

/**
 * Verifies every signature of one act, each over its own message, one verdict per check. The
 * ledger's hot path awaits it, so the verification can run beside the main thread.
 */
export type BatchVerifier = {
  verifyAll(checks: SignatureCheck[]): Promise<boolean[]>;
  close(): Promise<void>;
};

/** The same strict verifier, on the calling thread: for tests, tools, and single-core machines. */
export function inlineBatchVerifier(): BatchVerifier {
  const verifier = createVerifier();
  return {
    verifyAll: async (checks) => checks.map((c) => verifier.verify(c.publicKey, c.message, c.signature)),
    close: async () => {},
  };
}

type Job = { checks: Array<{ publicKey: string; key: Uint8Array; signature: Uint8Array; message: Uint8Array }> };

/*
 * Plain JavaScript so a worker starts under node, tsx and vitest alike. It does only the expensive
 * curve arithmetic; the strict checks (S < L, acceptable keys) already ran on the main thread.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const prefix = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
const keyObject = (text, bytes) => {
  let key = keys.get(text);
  if (!key) {
    if (keys.size >= 10000) keys.clear();
    key = createPublicKey({ key: Buffer.concat([prefix, bytes]), format: 'der', type: 'spki' });
    keys.set(text, key);
  }
  return key;
};
parentPort.on('message', ({ id, jobs }) => {
  const verdicts = jobs.map((job) => job.checks.map((c) => {
    try { return verify(null, c.message, keyObject(c.publicKey, c.key), c.signature); } catch { return false; }
  }));
  parentPort.postMessage({ id, verdicts });
});
`;

/**
 * Ed25519 verification on worker threads. Checks that arrive in the same turn of the event loop go
 * to the workers together, one message per worker, so the cost of crossing threads is shared.
 * Default: one worker per core but one, leaving a core to the thread that decides and appends.
 */
export function createVerifierPool(options: { threads?: number } = {}): BatchVerifier {
  const threads = Math.max(1, options.threads ?? availableParallelism() - 1);
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    return worker;
  });
  const waiting = new Map<number, { done: (verdicts: boolean[][]) => void; fail: (error: Error) => void }>();
  let nextId = 0;
  let queued: Array<{
    job: Job;
    verdicts: Array<boolean | undefined>;
    resolve: (v: boolean[]) => void;
    reject: (error: Error) => void;
  }> = [];
  let flushScheduled = false;

  for (const worker of workers) {
    worker.on('message', ({ id, verdicts }: { id: number; verdicts: boolean[][] }) => {
      waiting.get(id)?.done(verdicts);
      waiting.delete(id);
    });
    // A dead worker must not leave acts waiting for ever: every pending check fails loudly.
    worker.on('error', (error) => {
      for (const pending of waiting.values()) pending.fail(error);
      waiting.clear();
    });
  }

  const flush = () => {
    flushScheduled = false;
    const batch = queued;
    queued = [];
    const share = Math.ceil(batch.length / workers.length);
    workers.forEach((worker, w) => {
      const part = batch.slice(w * share, (w + 1) * share);
      if (part.length === 0) return;
      const id = nextId++;
      waiting.set(id, {
        done: (verdicts) =>
          part.forEach((entry, i) => {
            let next = 0;
            entry.resolve(entry.verdicts.map((v) => v ?? verdicts[i]?.[next++] === true));
          }),
        fail: (error) => part.forEach((entry) => entry.reject(error)),
      });
      worker.postMessage({ id, jobs: part.map((entry) => entry.job) });
    });
  };

  return {
    verifyAll(checks) {
      // Malformed or non-canonical input is answered here and never crosses to a worker.
      const verdicts: Array<boolean | undefined> = [];
      const job: Job = { checks: [] };
      for (const { publicKey, signature, message } of checks) {
        const key = strictPublicKeyBytes(publicKey);
        const sig = strictSignatureBytes(signature);
        if (key === undefined || sig === undefined) verdicts.push(false);
        else {
          verdicts.push(undefined);
          job.checks.push({ publicKey, key, signature: sig, message });
        }
      }
      if (job.checks.length === 0) return Promise.resolve(verdicts.map(() => false));
      return new Promise((resolve, reject) => {
        queued.push({ job, verdicts, resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
