/**
 * Checks that JSON text is already in the ledger's canonical form (src/domain/canonical.ts: RFC 8785,
 * integers only), reading it once, character by character, without building any value: no
 * whitespace, object keys strictly ascending, strings escaped exactly as JSON.stringify escapes a
 * well-formed string, numbers written as safe integers are (no fraction, exponent, leading zero or
 * `-0`).
 *
 * Why: the whole-ledger verifier must hash and verify the canonical bytes of every act. Parsing the
 * stored text and serialising it again costs about 6 µs an event, beside ~75 µs for its Ed25519
 * verification, and the target is to spend less than 15 % on anything but the verification;
 * the ledger stores acts already canonical, so checking the text in place proves the same thing for
 * a fraction of the cost. A subclass can look at members and elements as they pass (`member`,
 * `element`, told which object or array they belong to by the `context` it gave `object` or
 * `array`), so the few fields the verifier needs are picked out in the same pass. Methods, not
 * callbacks: this runs once per event, and closures made per event cost more than the reading
 * (under tsx, as the CLI runs, each one is also named as it is made).
 *
 * Conservative by design: it says no to some canonical text it does not bother with (object keys
 * containing escapes, nesting deeper than MAX_DEPTH), and callers then take the slow path (parse,
 * then serialise). It must never say yes to text that is not canonical:
 * test/verify/canonical-text.unit.spec.ts holds it to `canonicalJson(JSON.parse(text)) === text`.
 */
export const MAX_DEPTH = 64;

/** The context of objects and arrays nobody asked to look inside. */
export const ANY = 0;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** 2^53 - 1 has 16 digits: longer is never safe, 16 digits are compared by value. */
const SAFE_DIGITS = 16;

export class CanonicalText {
  /** Where the next read starts. */
  pos = 0;
  /** Whether the last string read held an escape (its text is then not its value). */
  escaped = false;

  constructor(readonly text: string) {}

  /** True when the whole text is one canonical value. */
  static isCanonical(text: string): boolean {
    const scanner = new CanonicalText(text);
    return scanner.value(0) && scanner.pos === text.length;
  }

  /** Reads one canonical value of any kind. */
  value(depth: number): boolean {
    switch (this.text.charCodeAt(this.pos)) {
      case QUOTE:
        return this.string();
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x74:
        return this.literal('true');
      case 0x66:
        return this.literal('false');
      case 0x6e:
        return this.literal('null');
      default:
        return this.integer();
    }
  }

  /** A string as JSON.stringify writes a well-formed one. */
  string(): boolean {
    const text = this.text;
    if (text.charCodeAt(this.pos) !== QUOTE) return false;
    this.escaped = false;
    for (let i = this.pos + 1; i < text.length; ) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        this.pos = i + 1;
        return true;
      }
      if (c < 0x20) return false;
      if (c === BACKSLASH) {
        const length = escapeLength(text, i);
        if (length === 0) return false;
        this.escaped = true;
        i += length;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        // Only a high surrogate followed by a low one: a lone surrogate has no UTF-8 form.
        const next = text.charCodeAt(i + 1);
        if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return false;
        i += 2;
      } else {
        i++;
      }
    }
    return false;
  }

  /** A safe integer as String(n) writes it: `0`, or an optional `-` and digits without a leading zero. */
  integer(): boolean {
    const text = this.text;
    const start = this.pos;
    let i = text.charCodeAt(start) === MINUS ? start + 1 : start;
    const first = text.charCodeAt(i);
    if (first === ZERO) {
      if (i !== start) return false; // -0 is written 0
      this.pos = i + 1;
      return true;
    }
    if (!(first > ZERO && first <= NINE)) return false;
    const digitsStart = i;
    while (i < text.length && text.charCodeAt(i) >= ZERO && text.charCodeAt(i) <= NINE) i++;
    const digits = i - digitsStart;
    if (digits > SAFE_DIGITS) return false;
    if (digits === SAFE_DIGITS && Number(text.slice(digitsStart, i)) > Number.MAX_SAFE_INTEGER) return false;
    this.pos = i;
    return true;
  }

  /** An object: keys strictly ascending (UTF-16 code units), each value read by `member(context, ...)`. */
  object(depth: number, context = ANY): boolean {
    const text = this.text;
    if (depth > MAX_DEPTH || text.charCodeAt(this.pos) !== 0x7b) return false;
    this.pos++;
    if (text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return true;
    }
    let previousStart = -1;
    let previousEnd = -1;
    for (;;) {
      const keyStart = this.pos + 1;
      if (!this.string() || this.escaped) return false;
      const keyEnd = this.pos - 1;
      if (previousStart >= 0 && !ascending(text, previousStart, previousEnd, keyStart, keyEnd)) return false;
      if (text.charCodeAt(this.pos) !== COLON) return false;
      this.pos++;
      if (!this.member(context, keyStart, keyEnd, depth)) return false;
      const next = text.charCodeAt(this.pos++);
      if (next === 0x7d) return true;
      if (next !== COMMA) return false;
      previousStart = keyStart;
      previousEnd = keyEnd;
    }
  }

  /** An array, each element read by `element(context, ...)`. */
  array(depth: number, context = ANY): boolean {
    const text = this.text;
    if (depth > MAX_DEPTH || text.charCodeAt(this.pos) !== 0x5b) return false;
    this.pos++;
    if (text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return true;
    }
    for (let index = 0; ; index++) {
      if (!this.element(context, index, depth)) return false;
      const next = text.charCodeAt(this.pos++);
      if (next === 0x5d) return true;
      if (next !== COMMA) return false;
    }
  }

  /** Whether the key at [start, end) is `name`. */
  keyIs(start: number, end: number, name: string): boolean {
    return end - start === name.length && this.text.startsWith(name, start);
  }

  /** The value of the string read at [start, end) (quotes included). */
  stringValue(start: number, end: number): string {
    const inner = this.text.slice(start + 1, end - 1);
    return inner.includes('\\') ? (JSON.parse(this.text.slice(start, end)) as string) : inner;
  }

  /** Reads a member's value, standing on its first character; false if it is not acceptable. */
  protected member(_context: number, _keyStart: number, _keyEnd: number, depth: number): boolean {
    return this.value(depth);
  }

  /** Reads an array element, standing on its first character. */
  protected element(_context: number, _index: number, depth: number): boolean {
    return this.value(depth);
  }

  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }
}

/**
 * The length of the escape at `i` if JSON.stringify would write it: `\" \\ \b \f \n \r \t`, or
 * `\u00xx` (lowercase hex) for any other character below U+0020; else 0. JSON.stringify escapes
 * nothing else a canonical string can hold (not `/`, not U+2028, not a well-formed surrogate pair).
 */
function escapeLength(text: string, i: number): number {
  switch (text.charCodeAt(i + 1)) {
    case QUOTE:
    case BACKSLASH:
    case 0x62: // b
    case 0x66: // f
    case 0x6e: // n
    case 0x72: // r
    case 0x74: // t
      return 2;
    case 0x75: {
      // u
      if (text.charCodeAt(i + 2) !== ZERO || text.charCodeAt(i + 3) !== ZERO) return 0;
      const high = text.charCodeAt(i + 4);
      const low = lowerHex(text.charCodeAt(i + 5));
      if ((high !== ZERO && high !== ZERO + 1) || low < 0) return 0;
      const code = (high - ZERO) * 16 + low;
      // These five have short forms, which JSON.stringify uses.
      return code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d ? 0 : 6;
    }
    default:
      return 0;
  }
}

function lowerHex(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Whether key [bStart, bEnd) sorts strictly after key [aStart, aEnd), as UTF-16 code units. */
function ascending(text: string, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const common = Math.min(aLength, bLength);
  for (let k = 0; k < common; k++) {
    const a = text.charCodeAt(aStart + k);
    const b = text.charCodeAt(bStart + k);
    if (a !== b) return a < b;
  }
  return aLength < bLength;
}
