import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * Reads a bundle file: a carrier bundle (one JSON document) or a ledger bundle (JSON lines: a header,
 * then one event per line). Line by line for the latter, so no single giant string is ever built.
 * Returns the bundle as plain data (verifyBundle checks its shape) or a sentence naming the problem.
 */
export async function readBundleFile(path: string): Promise<{ bundle: unknown } | { error: string }> {
  let first: string | undefined;
  try {
    first = await firstLine(path);
  } catch (error) {
    return { error: `cannot read ${path}: ${(error as Error).message}` };
  }
  const header = tryJson(first ?? '');
  if (isLedgerHeader(header)) return readLedgerLines(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { error: `cannot read ${path}: ${(error as Error).message}` };
  }
  const bundle = tryJson(text);
  return bundle === undefined ? { error: `${path} is not JSON: not a bundle` } : { bundle };
}

async function readLedgerLines(path: string): Promise<{ bundle: unknown } | { error: string }> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let header: Record<string, unknown> | undefined;
  const events: unknown[] = [];
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    const value = tryJson(line);
    if (value === undefined) return { error: `${path} line ${number} is not JSON` };
    if (header === undefined) header = value as Record<string, unknown>;
    else events.push(value);
  }
  return { bundle: { ...header, events } };
}

async function firstLine(path: string): Promise<string | undefined> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }), crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isLedgerHeader = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as Record<string, unknown>)['kind'] === 'ledger';
