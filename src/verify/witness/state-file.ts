import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { WitnessState } from './witness.js';

/** Reads a witness state file; a sentence naming the problem if it is not one. */
export function readWitnessState(path: string): WitnessState | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `${path} is not JSON`;
  }
  const parsed = WitnessState.safeParse(json);
  if (!parsed.success) {
    return `${path} is not a witness state: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
  }
  return parsed.data;
}

/**
 * Writes the state durably and atomically (temporary file, fsync, rename): a witness that forgot a
 * cosignature after a crash could be led to cosign a fork.
 */
export function writeWitnessState(path: string, state: WitnessState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(WitnessState.parse(state), null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
