/**
 * The canonical form of ledger data: the exact bytes that get hashed into a stream's chain and
 * signed by the people who perform an act.
 *
 * What it is. RFC 8785 (JSON Canonicalization Scheme, JCS), restricted to the data the ledger
 * actually holds:
 *   - object members sorted by their keys, compared as UTF-16 code units (what JavaScript's
 *     default `Array.prototype.sort` does, and what JCS prescribes);
 *   - no whitespace anywhere;
 *   - strings serialised exactly as ECMAScript `JSON.stringify` does, which JCS adopts: `"` and `\`
 *     escaped, `\b \t \n \f \r` in short form, other characters below U+0020 as lowercase `\u00xx`,
 *     everything else (U+2028, U+2029, non-ASCII, emoji) written as itself;
 *   - arrays keep their order.
 *
 * Why integers only. JCS serialises floating-point numbers with the ECMAScript number-to-string
 * algorithm; reproducing that byte for byte in every verifier (another language, a browser, an
 * auditor's script) is the classic source of "same data, different hash". The ledger has no need
 * for fractions (times are ISO strings, counts are whole), so a number must be a safe integer
 * (|n| <= 2^53 - 1), which every JSON implementation prints the same way. `-0` is written `0`.
 * A `bigint` is written as a decimal *string*, so it survives parsers that would round it.
 *
 * Refused, with a `TypeError` naming the JSON path (`$.events[0].data.count`): non-integer
 * numbers, NaN, Infinity, `undefined` inside arrays (JSON.stringify would silently turn it into
 * `null`), functions, symbols, strings with lone surrogates (RFC 8785 §3.2.2.2: they cannot be
 * encoded as UTF-8, so two different inputs would sign the same bytes), cycles, and anything that
 * is not a plain object or array (Date, Map, Set, typed arrays, class instances): their JSON form
 * depends on `toJSON` methods and would silently differ between producers. `undefined` object
 * members are omitted, as JSON.stringify does, so optional fields may be absent or undefined.
 *
 * The prefix. `signingBytes(domain, value)` prepends `domain + "\n"` (e.g.
 * `custody-ledger/act/v1\n{...}`). The domain separates purposes: a signature made over an act can
 * never be replayed as a signature over an event, a key rotation, or the next version's format,
 * even if the JSON bodies happened to coincide. Canonical JSON never contains a raw newline
 * (strings escape it), so the first `\n` unambiguously ends the domain.
 *
 * Pure: no I/O, no clock, no randomness; `TextEncoder` is a language-level global.
 */

/** A domain is visible ASCII without spaces or newlines: `custody-ledger/act/v1`. */
const DOMAIN_PATTERN = /^[!-~]+$/;

/** A key that can be written `.key` in a path; anything else is written `["key"]`. */
const IDENTIFIER_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const UTF8 = new TextEncoder();

/**
 * The canonical JSON text of `value` (RFC 8785, integers only; see the top of this file).
 *
 * @throws TypeError naming the JSON path of the first value that has no canonical form.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, null, new Set());
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return UTF8.encode(s);
}

/**
 * The bytes a signature covers: `utf8(domain + "\n" + canonicalJson(value))`.
 *
 * @param domain what the signature is for, versioned: `custody-ledger/act/v1`. Visible ASCII only.
 * @throws TypeError for a malformed domain or a value without a canonical form.
 */
export function signingBytes(domain: string, value: unknown): Uint8Array {
  if (typeof domain !== 'string' || !DOMAIN_PATTERN.test(domain)) {
    throw new TypeError(`signingBytes: domain must be visible ASCII without spaces, got ${JSON.stringify(domain)}`);
  }
  return utf8(`${domain}\n${canonicalJson(value)}`);
}

/**
 * Where a value sits, kept as a chain and written out only when a value is refused: building a path
 * string for every member would cost more than serialising it.
 */
type Path = { parent: Path; key: string | number } | null;

/** `ancestors` holds the objects on the current path, to report cycles instead of overflowing. */
function serialise(value: unknown, path: Path, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serialiseString(value, path);
    case 'number':
      if (!Number.isSafeInteger(value)) {
        refuse(path, `${String(value)} is not a safe integer (the ledger signs integers only)`);
      }
      // String(-0) is "0", as JCS requires.
      return String(value);
    case 'bigint':
      return `"${value.toString()}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return refuse(path, 'undefined has no JSON form (omit the member instead)');
    case 'function':
      return refuse(path, 'a function has no JSON form');
    case 'symbol':
      return refuse(path, 'a symbol has no JSON form');
    case 'object':
      if (value === null) return 'null';
      if (ancestors.has(value)) refuse(path, 'cycle: the value contains itself');
      ancestors.add(value);
      try {
        return Array.isArray(value)
          ? serialiseArray(value, path, ancestors)
          : serialiseObject(value, path, ancestors);
      } finally {
        ancestors.delete(value);
      }
  }
  return refuse(path, `unsupported type ${typeof value}`);
}

function serialiseString(s: string, path: Path): string {
  if (!s.isWellFormed()) refuse(path, 'string contains a lone UTF-16 surrogate');
  // JCS adopts ECMAScript's string serialisation exactly, so JSON.stringify is the reference.
  return JSON.stringify(s);
}

function serialiseArray(items: readonly unknown[], path: Path, ancestors: Set<object>): string {
  if (Object.getPrototypeOf(items) !== Array.prototype) refuse(path, 'only plain arrays are allowed');
  const parts: string[] = [];
  // Index loop, not for-of or map: holes in sparse arrays must be seen (and refused) as undefined.
  for (let i = 0; i < items.length; i++) {
    parts.push(serialise(items[i], { parent: path, key: i }, ancestors));
  }
  return `[${parts.join(',')}]`;
}

function serialiseObject(object: object, path: Path, ancestors: Set<object>): string {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    refuse(path, `only plain objects and arrays are allowed, got ${describeInstance(object)}`);
  }
  // Symbol-keyed members would be silently dropped, so the signer would sign less than it holds.
  if (Object.getOwnPropertySymbols(object).length > 0) refuse(path, 'symbol-keyed members are not allowed');

  const record = object as Record<string, unknown>;
  const members: string[] = [];
  // Default sort compares UTF-16 code units: exactly RFC 8785 §3.2.3.
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    const memberPath = { parent: path, key };
    members.push(`${serialiseString(key, memberPath)}:${serialise(member, memberPath, ancestors)}`);
  }
  return `{${members.join(',')}}`;
}

/** `$.events[0].data["odd key"]`: the JSON path of a refused value. */
function pathText(path: Path): string {
  if (path === null) return '$';
  const { parent, key } = path;
  if (typeof key === 'number') return `${pathText(parent)}[${key}]`;
  return IDENTIFIER_PATTERN.test(key) ? `${pathText(parent)}.${key}` : `${pathText(parent)}[${JSON.stringify(key)}]`;
}

function describeInstance(object: object): string {
  const name: unknown = (object as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'a non-plain object';
}

function refuse(path: Path, reason: string): never {
  throw new TypeError(`canonicalJson: ${pathText(path)}: ${reason}`);
}
