import { describe, expect, it } from 'vitest';
import { canonicalJson, signingBytes, utf8 } from '../../src/domain/canonical.js';

/** Parse JSON text written exactly as in the RFC, so the test input is the RFC's input. */
const parseRfcText = (text: string): unknown => JSON.parse(text);

describe('canonicalJson: RFC 8785 examples (integers only)', () => {
  it('serialises the §3.2.2 example, with its numbers replaced by integers', () => {
    const input = parseRfcText(String.raw`{
      "numbers": [333333333, 1E15, 4, 2, -7],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333,1000000000000000,4,2,-7],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts the §3.2.3 keys by UTF-16 code units (values made integers)', () => {
    const input = parseRfcText(String.raw`{
      "\u20ac": 1,
      "\r": 2,
      "\ufb33": 3,
      "1": 4,
      "\ud83d\ude00": 5,
      "\u0080": 6,
      "\u00f6": 7
    }`);
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FB33 in UTF-16 code units
    // even though its code point is larger: the point of the RFC's example.
    expect(canonicalJson(input)).toBe('{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}');
  });

  it('keeps the §3.2.3 example with its original string values', () => {
    const input = parseRfcText(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    // Compared as text: JSON.parse would move the integer-like key "1" first again.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });
});

describe('canonicalJson: strings', () => {
  it('escapes every control character the way JSON.stringify does', () => {
    for (let code = 0; code < 0x20; code++) {
      const s = String.fromCharCode(code);
      expect(canonicalJson(s)).toBe(JSON.stringify(s));
    }
    expect(canonicalJson('\u0000\u0001\u001f')).toBe('"\\u0000\\u0001\\u001f"');
    expect(canonicalJson('\b\t\n\f\r')).toBe('"\\b\\t\\n\\f\\r"');
    expect(canonicalJson('\u000b')).toBe('"\\u000b"'); // lowercase hex, no \v short form
  });

  it('escapes only quote and backslash among printable ASCII; "/" and DEL stay as they are', () => {
    expect(canonicalJson('say "hi" \\ a/b \u007f')).toBe('"say \\"hi\\" \\\\ a/b \u007f"');
  });

  it('writes U+2028, U+2029, non-ASCII and astral characters as themselves', () => {
    expect(canonicalJson('\u2028\u2029')).toBe('"\u2028\u2029"');
    expect(canonicalJson('Grüße, €, 😀')).toBe('"Grüße, €, 😀"');
    expect(utf8(canonicalJson('\u2028'))).toEqual(new Uint8Array([0x22, 0xe2, 0x80, 0xa8, 0x22]));
  });

  it('refuses lone surrogates in values and in keys, with the path', () => {
    expect(() => canonicalJson({ note: 'a\ud800b' })).toThrow(/\$\.note: .*lone UTF-16 surrogate/);
    expect(() => canonicalJson({ list: ['ok', '\udc00'] })).toThrow(/\$\.list\[1\]: .*lone/);
    expect(() => canonicalJson({ ['\ud83d']: 1 })).toThrow(/\$\["\\ud83d"\]: .*lone/);
  });
});

describe('canonicalJson: structure', () => {
  it('serialises nested objects and arrays without whitespace, arrays in order', () => {
    const value = {
      z: [3, 1, 2, { b: [], a: {} }],
      a: { y: null, x: true, w: false, v: 'text' },
      m: [[], [[0]]],
    };
    expect(canonicalJson(value)).toBe(
      '{"a":{"v":"text","w":false,"x":true,"y":null},"m":[[],[[0]]],"z":[3,1,2,{"a":{},"b":[]}]}',
    );
  });

  it('sorts integer-like keys as strings, not as numbers', () => {
    expect(canonicalJson({ 9: 'nine', 10: 'ten', 1: 'one', b: 0, A: 0 })).toBe(
      '{"1":"one","10":"ten","9":"nine","A":0,"b":0}',
    );
  });

  it('does not depend on the order in which keys were inserted', () => {
    const entries: Array<[string, unknown]> = [
      ['carrierId', 'C-1'],
      ['at', '2024-05-01T10:00:00.000Z'],
      ['count', 3],
      ['holders', ['p-2', 'p-1']],
      ['nested', { q: 1, p: { b: 2, a: 1 } }],
      ['ä', 1],
      ['Z', 2],
    ];
    const reference = canonicalJson(Object.fromEntries(entries));
    // Every rotation and its reverse: deterministic, yet covers many orders.
    for (let shift = 0; shift < entries.length; shift++) {
      const rotated = [...entries.slice(shift), ...entries.slice(0, shift)];
      expect(canonicalJson(Object.fromEntries(rotated))).toBe(reference);
      expect(canonicalJson(Object.fromEntries(rotated.reverse()))).toBe(reference);
    }
    expect(canonicalJson({ nested: { p: { a: 1, b: 2 }, q: 1 } })).toBe(
      canonicalJson({ nested: { q: 1, p: { b: 2, a: 1 } } }),
    );
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
  });

  it('omits undefined object members', () => {
    expect(canonicalJson({ a: 1, gone: undefined, b: { c: undefined } })).toBe('{"a":1,"b":{}}');
  });

  it('round-trips through JSON.parse', () => {
    const value = { events: [{ type: 'moved', data: { to: 'R1/safe-3', count: 2 } }], seq: 41, ok: true, none: null };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('repeats an object that appears twice (shared, not cyclic)', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: [shared, shared] })).toBe('{"x":{"a":1},"y":[{"a":1},{"a":1}]}');
  });
});

describe('canonicalJson: numbers', () => {
  it('writes safe integers plainly, up to ±(2^53 - 1)', () => {
    expect(canonicalJson([0, 1, -1, 1e15, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])).toBe(
      '[0,1,-1,1000000000000000,9007199254740991,-9007199254740991]',
    );
  });

  it('writes -0 as 0', () => {
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson({ n: -0 })).toBe('{"n":0}');
  });

  it('writes a bigint as a decimal string, beyond the safe range too', () => {
    expect(canonicalJson(12345678901234567890n)).toBe('"12345678901234567890"');
    expect(canonicalJson({ big: -5n, zero: 0n })).toBe('{"big":"-5","zero":"0"}');
  });
});

describe('canonicalJson: refusals name the JSON path', () => {
  const refusals: Array<[what: string, value: unknown, path: RegExp]> = [
    ['a fraction', { events: [{ data: { count: 1.5 } }] }, /\$\.events\[0\]\.data\.count: 1\.5 is not a safe integer/],
    ['NaN', { n: Number.NaN }, /\$\.n: NaN is not a safe integer/],
    ['Infinity', { n: [Infinity] }, /\$\.n\[0\]: Infinity/],
    ['-Infinity', -Infinity, /\$: -Infinity/],
    ['2^53 (unsafe)', { n: 2 ** 53 }, /\$\.n: 9007199254740992 is not a safe integer/],
    ['1e21', { n: 1e21 }, /\$\.n: 1e\+21/],
    ['undefined in an array', { list: [1, undefined] }, /\$\.list\[1\]: undefined/],
    // eslint-disable-next-line no-sparse-arrays
    ['an array hole', { list: [1, , 3] }, /\$\.list\[1\]: undefined/],
    ['undefined at the top', undefined, /\$: undefined/],
    ['a function', { f: () => 1 }, /\$\.f: a function/],
    ['a symbol', { s: Symbol('x') }, /\$\.s: a symbol/],
    ['a symbol-keyed member', { [Symbol('hidden')]: 1, a: 1 }, /\$: symbol-keyed/],
    ['a Date', { at: new Date(0) }, /\$\.at: .*instance of Date/],
    ['a Map', { m: new Map() }, /\$\.m: .*instance of Map/],
    ['a Set', [new Set()], /\$\[0\]: .*instance of Set/],
    ['a Uint8Array', { bytes: new Uint8Array(2) }, /\$\.bytes: .*instance of Uint8Array/],
    ['a class instance', { p: new (class Person { name = 'x' })() }, /\$\.p: .*instance of Person/],
    ['a boxed string', { s: new String('x') }, /\$\.s: .*instance of String/],
    ['an array subclass', { a: new (class Stack extends Array<number> {})() }, /\$\.a: only plain arrays/],
    ['a key needing quotes', { 'two words': { 'x-y': 0.5 } }, /\$\["two words"\]\["x-y"\]: 0\.5/],
  ];

  it.each(refusals)('refuses %s', (_what, value, message) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('refuses cycles instead of overflowing the stack', () => {
    const looped: Record<string, unknown> = { a: { b: [] as unknown[] } };
    ((looped.a as { b: unknown[] }).b).push(looped);
    expect(() => canonicalJson(looped)).toThrow(/\$\.a\.b\[0\]: cycle/);
  });
});

describe('utf8 and signingBytes', () => {
  it('encodes UTF-8', () => {
    expect(utf8('aé€😀')).toEqual(new Uint8Array([0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]));
  });

  it('prefixes the canonical JSON with the domain and a newline', () => {
    const bytes = signingBytes('custody-ledger/act/v1', { b: 2, a: 1 });
    expect(new TextDecoder().decode(bytes)).toBe('custody-ledger/act/v1\n{"a":1,"b":2}');
  });

  it('gives different bytes for the same value under different domains', () => {
    const value = { carrierId: 'C-1' };
    expect(signingBytes('custody-ledger/act/v1', value)).not.toEqual(signingBytes('custody-ledger/event/v1', value));
  });

  it('refuses a domain that could blur the separation', () => {
    for (const domain of ['', 'with space', 'two\nlines', 'tab\t', 'ünicode']) {
      expect(() => signingBytes(domain, {})).toThrow(TypeError);
    }
  });

  it('passes value refusals through', () => {
    expect(() => signingBytes('custody-ledger/act/v1', { n: 0.1 })).toThrow(/\$\.n: 0\.1/);
  });
});
