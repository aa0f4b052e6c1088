import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Task, TaskDone, WorkerInput } from './worker.js';

/**
 * Runs chunks on `size` worker threads, each kept one chunk ahead so it never waits, and hands
 * each result to `onResult` as it arrives (not in chunk order). Rejects on the first worker failure,
 * after stopping every worker.
 */
export async function runChunks(
  input: WorkerInput,
  chunks: ReadonlyArray<Omit<Task, 'chunk'>>,
  size: number,
  onResult: (done: TaskDone) => void,
): Promise<void> {
  const workers = Array.from({ length: Math.max(1, Math.min(size, chunks.length)) }, () => startWorker(input));
  let next = 0;
  let finished = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (chunks.length === 0) resolve();
      const give = (worker: Worker) => {
        if (next < chunks.length) worker.postMessage({ chunk: next, ...chunks[next++]! } satisfies Task);
      };
      for (const worker of workers) {
        worker.on('message', (done: TaskDone) => {
          // The next chunk goes out first: the worker works while this thread stitches.
          give(worker);
          try {
            onResult(done);
          } catch (error) {
            reject(error);
            return;
          }
          if (++finished === chunks.length) resolve();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (finished < chunks.length) reject(new Error(`a verification worker stopped (exit code ${code})`));
        });
        // Two chunks each from the start: one to work on, one waiting, so no worker idles between them.
        give(worker);
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Starts worker.ts. From the TypeScript sources (tsx, vitest) a worker thread has no TypeScript loader
 * of its own, so it first registers tsx's; built to JavaScript, the worker file is loaded directly.
 */
function startWorker(workerData: WorkerInput): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
  if (!fromSource) return new Worker(url, { workerData });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
