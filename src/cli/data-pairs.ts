import { usageError } from './errors.js';

/**
 * Command data from `key=value` words, so common acts read naturally on a command line:
 *
 *   carrierId=C1 location="Office 12"           → { carrierId: "C1", location: "Office 12" }
 *   copies=2 urgent=true readers='["r1","r2"]'  → numbers, booleans, arrays: anything that parses as JSON
 *   description.kind=document                   → { description: { kind: "document" } }
 *   reference='"2026"'                          → the string "2026" (quote to keep a number-like string)
 *
 * Pairs are applied over a base object (from --data or --data-file), so they can override it.
 */

type JsonObject = { [key: string]: unknown };

/** Keys that would reach Object.prototype if used as property names. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export function isKeyValue(word: string): boolean {
  return /^[^=\s]+=/.test(word);
}

/** The JSON reading of a value when it has one, else the text itself. */
export function valueOf(text: string): unknown {
  const trimmed = text.trim();
  // Only JSON literals, numbers, strings, arrays and objects: a bare word like `Office` stays text.
  if (!/^(?:-?\d|["[{]|true$|false$|null$)/.test(trimmed)) return text;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

/** How a value's text becomes a value; `prepare` passes one that knows the command's fields. */
export type ValueReader = (path: string[], text: string) => unknown;

export function dataFromPairs(pairs: string[], base: JsonObject = {}, read: ValueReader = (_path, text) => valueOf(text)): JsonObject {
  const data = structuredClone(base);
  const setByPairs = new Set<string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError(`expected key=value, got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, at);
    const path = key.split('.');
    if (path.some((segment) => segment === '')) throw usageError(`${JSON.stringify(key)} has an empty name between dots`);
    const forbidden = path.find((segment) => FORBIDDEN_KEYS.has(segment));
    if (forbidden !== undefined) throw usageError(`${JSON.stringify(key)}: "${forbidden}" cannot be a field name`);
    if (setByPairs.has(key)) throw usageError(`${key} is given twice`);
    setByPairs.add(key);
    setPath(data, path, read(path, pair.slice(at + 1)), key);
  }
  return data;
}

function setPath(target: JsonObject, path: string[], value: unknown, key: string): void {
  let node = target;
  for (const [i, segment] of path.slice(0, -1).entries()) {
    const next = node[segment];
    if (next === undefined) {
      const created: JsonObject = {};
      node[segment] = created;
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      throw usageError(`${key}: ${path.slice(0, i + 1).join('.')} is already ${JSON.stringify(next)}, not an object`);
    }
  }
  const last = path[path.length - 1]!;
  if (isPlainObject(node[last]) && !isPlainObject(value)) {
    throw usageError(`${key}: would replace the fields already given under ${key}`);
  }
  node[last] = value;
}

function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
