import type { MiddlewareHandler } from 'hono';
import type { ValidationIssue } from '../domain/errors.js';
import { HttpProblem, invalidInput, problemResponse } from './problems.js';

/**
 * Every JSON request body is parsed once, here, and refused before any schema sees it when it holds
 * what no route can use and the canonical form cannot sign: a string (or member name) with a lone
 * UTF-16 surrogate (RFC 8785 cannot encode it as UTF-8, so two different inputs would sign the same
 * bytes), or nesting deeper than any act has (recursive code further in would overflow the stack and
 * the message would leak). The walk is iterative: it cannot overflow whatever it is given.
 */

/** Acts nest about six levels (act.events[0].data.roles[0].role); nothing real comes near this. */
export const MAX_JSON_DEPTH = 64;

/** The media types hono's JSON validator reads: application/json and application/*+json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

type Path = { parent: Path; key: string | number } | null;

const pathOf = (path: Path): (string | number)[] => {
  const keys: (string | number)[] = [];
  for (let at = path; at !== null; at = at.parent) keys.push(at.key);
  return keys.reverse();
};

/** The first thing in a parsed JSON value that no route accepts, as an issue naming where it is; undefined when none. */
export function hostileJsonIssue(value: unknown): ValidationIssue | undefined {
  const stack: { value: unknown; path: Path; depth: number }[] = [{ value, path: null, depth: 0 }];
  while (stack.length > 0) {
    const { value: item, path, depth } = stack.pop()!;
    if (typeof item === 'string') {
      if (!item.isWellFormed()) return loneSurrogate(path);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      return { path: pathOf(path), code: 'too-deep', message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push({ value: item[i], path: { parent: path, key: i }, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(item);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const memberPath = { parent: path, key: key.toWellFormed() };
      if (!key.isWellFormed()) return loneSurrogate(memberPath);
      stack.push({ value: (item as Record<string, unknown>)[key], path: memberPath, depth: depth + 1 });
    }
  }
  return undefined;
}

const loneSurrogate = (path: Path): ValidationIssue => ({
  path: pathOf(path),
  code: 'lone-surrogate',
  message: 'contains a lone UTF-16 surrogate, which no UTF-8 text (and so no signature) can hold',
});

/**
 * The first number in a parsed value that the ledger cannot sign (it signs safe integers only), as
 * an issue naming where it is. Iterative, like the walk above; the value was already checked for depth.
 */
export function unsignableNumberIssue(value: unknown, prefix: (string | number)[] = []): ValidationIssue | undefined {
  const stack: { value: unknown; path: Path }[] = [{ value, path: null }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (typeof item === 'number' && !Number.isSafeInteger(item)) {
      return { path: [...prefix, ...pathOf(path)], code: 'custom', message: `${item} is not a safe integer (the ledger signs integers only)` };
    }
    if (typeof item !== 'object' || item === null) continue;
    const entries = Array.isArray(item) ? item.map((v, i) => [i, v] as const) : Object.entries(item);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: { parent: path, key: entries[i]![0] } });
  }
  return undefined;
}

/**
 * The middleware: parses a JSON body once, refuses what `hostileJsonIssue` finds (400 naming the
 * field), and hands the parsed value on, so the route's validator does not parse the text again.
 * An empty body is left to the route (some POSTs take none).
 */
export function guardJsonBodies(): MiddlewareHandler {
  return async (c, next) => {
    const contentType = c.req.header('content-type');
    if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType.split(';')[0]!.trim())) return next();
    // A body over the limit throws here, inside bodyLimit's own handler: let it.
    const text = await c.req.text();
    if (text === '') return next();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpProblem('malformed-json', 'the request body is not valid JSON');
    }
    const issue = hostileJsonIssue(value);
    if (issue) return problemResponse(invalidInput('invalid request body', [issue]));
    (c.req as { json: () => Promise<unknown> }).json = () => Promise.resolve(value);
    return next();
  };
}
