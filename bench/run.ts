/**
 * `npm run bench [-- name ...]`: runs every bench/<name>.bench.ts (or the named ones) one after the
 * other, prints one table, and writes bench/results/latest.json so two runs can be compared.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Result = { name: string; value: number; unit: string };

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

const results: Array<Result & { bench: string }> = [];
for (const bench of benches) {
  process.stderr.write(`bench ${bench} ...\n`);
  const started = performance.now();
  const module = (await import(pathToFileURL(join(here, `${bench}.bench.ts`)).href)) as { default: () => Promise<Result[]> };
  for (const result of await module.default()) results.push({ bench, ...result });
  process.stderr.write(`bench ${bench} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

console.table(results.map(({ bench, name, value, unit }) => ({ bench, name, value, unit })));

const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'latest.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`,
);
process.stderr.write('written: bench/results/latest.json\n');
