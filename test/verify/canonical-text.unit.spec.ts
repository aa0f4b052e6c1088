import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { CanonicalText, MAX_DEPTH } from '../../src/verify/ledger/canonical-text.js';
import { seeded, type Random } from '../projections/seeded.js';

/**
 * The scanner may say no to canonical text (the verifier then parses it), but must never say yes
 * to anything else: whatever it accepts must be exactly `canonicalJson(JSON.parse(text))`.
 */
const isCanonical = (text: string): boolean => CanonicalText.isCanonical(text);

function reallyCanonical(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

describe('canonical JSON text, checked in place', () => {
  it('accepts what canonicalJson writes', () => {
    const samples: unknown[] = [
      0, -1, 42, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, true, false, null, '', 'plain',
      'quote " backslash \\ slash / tab \t newline \n bell \u0007 unit \u001f del \u007f',
      'line separator \u2028 paragraph \u2029 é 中 😀', [], {}, [1, [2, [3]], { a: [] }],
      { a: 1, b: { c: 'd', e: [true, null] }, 'B': 0, '': 'empty key', 'é': 1, '😀': 2 },
    ];
    for (const sample of samples) expect(isCanonical(canonicalJson(sample)), canonicalJson(sample)).toBe(true);
  });

  it('refuses every non-canonical spelling of the same values', () => {
    const refused = [
      '-0', '01', '1.0', '1e2', '1E2', '+1', '9007199254740992', '-9007199254740992', '12345678901234567',
      '"\\u001F"', '"\\u000a"', '"\\u0008"', '"\\/"', '"\\u0041"', '"\\ud83d\\ude00"', '"\\ud800"', '"\ud800"', '"\udc00x"',
      '"raw\ttab"', '"unterminated', '{"b":1,"a":2}', '{"a":1,"a":1}', '{"a\\n":1}', ' 1', '1 ', '[1, 2]', '[1,]', '[,1]',
      '{"a":1,}', '{a:1}', "'a'", 'nul', 'True', '', '[', '{"a"}', '{"a":}', '1 2',
    ];
    for (const text of refused) expect(isCanonical(text), text).toBe(false);
  });

  it('accepts the safe-integer limits and canonical escapes', () => {
    for (const text of ['9007199254740991', '-9007199254740991', '"\\u001f"', '"\\n\\r\\t\\b\\f\\"\\\\"', '"\ud83d\ude00"']) {
      expect(isCanonical(text), text).toBe(true);
      expect(reallyCanonical(text), text).toBe(true);
    }
  });

  it(`says no beyond ${MAX_DEPTH} levels of nesting rather than recurse without end`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(isCanonical(nested(MAX_DEPTH))).toBe(true);
    expect(isCanonical(nested(MAX_DEPTH + 1))).toBe(false);
    expect(isCanonical(nested(100_000))).toBe(false);
  });

  it('never accepts text that is not canonical: random values, and random edits of their text', () => {
    const random = seeded(2026);
    let accepted = 0;
    let edited = 0;
    for (let round = 0; round < 3_000; round++) {
      const text = canonicalJson(randomValue(random, 0));
      const expected = !hasEscapedKey(text);
      expect(isCanonical(text), text).toBe(expected);
      for (let k = 0; k < 8; k++) {
        const variant = randomEdit(random, text);
        if (isCanonical(variant)) {
          expect(reallyCanonical(variant), `accepted ${JSON.stringify(variant)}`).toBe(true);
          accepted++;
        }
        edited++;
      }
    }
    // Some edits land on other canonical text (a digit for a digit): those must be accepted too.
    expect(accepted).toBeGreaterThan(0);
    expect(edited).toBe(24_000);
  });
});

/** Keys holding characters JSON.stringify escapes: canonical, but left to the slow path. */
const hasEscapedKey = (text: string): boolean => /"(?:[^"\\]|\\.)*\\.(?:[^"\\]|\\.)*":/.test(text);

const ALPHABET = ['a', 'b', 'B', 'z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '😀', '\ud800', 'u', 'e', '-'];

function randomString(random: Random, max: number): string {
  let text = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  // Lone surrogates have no canonical form: keep the sample canonical.
  return text.isWellFormed() ? text : text.replace(/[\ud800-\udfff]/g, 'x');
}

function randomValue(random: Random, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 3 ? 5 : 7));
  switch (kind) {
    case 0:
      return Math.floor((random() - 0.5) * 10 ** Math.floor(random() * 17));
    case 1:
      return randomString(random, 12);
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return random() < 0.5 ? Number.MAX_SAFE_INTEGER : 0;
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const members = Math.floor(random() * 5);
      for (let i = 0; i < members; i++) object[random() < 0.8 ? randomString(random, 4).replace(/[^a-zB0-9é😀]/gu, '') : randomString(random, 4)] = randomValue(random, depth + 1);
      return object;
    }
  }
}

/** One small edit of the kind a careless writer or a tamperer makes. */
function randomEdit(random: Random, text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + pick([' ', '\n', '\t']) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + pick(['0', '1', '-', '.', 'e', '"', '\\', ',', ':', '{', '}', '[', ']', 'u', '/', 'A', 'f']) + text.slice(at + 1);
    case 3:
      return text.slice(0, at) + pick(['\\u0041', '\\/', '\\u001F', '\\u000a', '.0', 'e0', '\\ud800', '\ud800', '"a":1,']) + text.slice(at);
    case 4: {
      // Swap two neighbouring members' text, or duplicate one.
      const comma = text.indexOf(',', at);
      return comma < 0 ? text : text.slice(0, comma) + text.slice(comma).replace(/^,("[^"]*":[^,{}[\]]*)/, ',$1,$1');
    }
    default:
      return text.toUpperCase() === text ? text : text.slice(0, at) + text.slice(at).replace(/[a-f]/, (c) => c.toUpperCase());
  }
}
