/**
 * The requests the OpenAPI sweep sends: for every operation in /openapi.json, hostile variants of
 * its path, its query, its body and its token. Deterministic (a seeded choice among the variants),
 * bounded per operation, so the sweep runs in CI in seconds and fails the same way twice.
 */

export type SweepRequest = {
  operation: string;
  variant: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
};

export type Operation = {
  method: string;
  template: string;
  parameters: { name: string; in: 'path' | 'query'; required?: boolean }[];
  hasBody: boolean;
};

/** Strings that have broken parsers, encoders and signers elsewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '\ud800',
  'a\udfffb',
  '\udbff\udbff',
  'nul\u0000byte',
  '\u202eevil.pdf',
  'e\u0301'.repeat(200),
  '\ufeffbom',
  '\uffff\ufffe',
  '\u{1F600}\u{1F600}',
  '../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '__proto__',
  'x'.repeat(70_000),
  '',
  ' ',
];

/** What goes where a number, a date or an id is expected. */
const WRONG_SCALARS: readonly string[] = ['abc', '-1', '0x10', '1e999', '1.5', 'NaN', '99999999999999999999', '%ff', '%ED%A0%80', '2026-13-45T99:99:99Z'];

/** Every JSON value kind but a string: a wrong type for most fields. */
const WRONG_TYPES: readonly unknown[] = [null, 0, -1, 1.5, 2 ** 60, true, [], {}, [null], { $ref: '#' }];

/** Bodies that are not JSON, or JSON of the wrong shape altogether. */
const MALFORMED_BODIES: readonly string[] = ['', '{', '{"a":', 'null', '[]', '"text"', '42', '{"a":1,"a":2}', '\u0000', '{"a":"\\ud800"}', 'true'];

const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** A small seeded generator (mulberry32): the same sample every run. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    sample: <T>(items: readonly T[], count: number): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, count);
    },
  };
}

/** Every leaf of a JSON value, as the path to it: where the body variants strike. */
function leafPaths(value: unknown, path: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((item, i) => leafPaths(item, [...path, i], found));
  else if (value !== null && typeof value === 'object') for (const [key, member] of Object.entries(value)) leafPaths(member, [...path, key], found);
  else found.push(path);
  return found;
}

function objectPaths(value: unknown, path: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) value.forEach((item, i) => objectPaths(item, [...path, i], found));
  else if (value !== null && typeof value === 'object') {
    found.push(path);
    for (const [key, member] of Object.entries(value)) objectPaths(member, [...path, key], found);
  }
  return found;
}

const valueAt = (value: unknown, path: (string | number)[]): unknown =>
  path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], value);

/** A copy of `value` with what is at `path` replaced (or removed, when `replacement` is the symbol). */
const REMOVE = Symbol('remove');
function withAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === REMOVE) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = replacement;
  return copy;
}

/** The body variants of one operation, from a well-formed seed body: every kind of wrongness, sampled. */
export function bodyVariants(seed: unknown, random: ReturnType<typeof seeded>, perKind: number): { variant: string; body: string; contentType?: string }[] {
  const variants: { variant: string; body: string; contentType?: string }[] = [];
  for (const body of MALFORMED_BODIES) variants.push({ variant: `malformed ${JSON.stringify(body).slice(0, 20)}`, body });
  variants.push({ variant: 'deeply nested', body: nested(100_000) });
  variants.push({ variant: 'deep arrays', body: '['.repeat(300_000) + ']'.repeat(300_000) });
  variants.push({ variant: 'nested 65', body: JSON.stringify({ ...(seed as object), extra: JSON.parse(nested(65)) }) });
  variants.push({ variant: 'over 1 MiB', body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) }) });
  variants.push({ variant: 'just under 1 MiB', body: JSON.stringify({ ...(seed as object), padding: 'x'.repeat(1024 * 1024 - 200) }) });
  variants.push({ variant: 'text/plain', body: JSON.stringify(seed), contentType: 'text/plain' });
  variants.push({ variant: 'form', body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded' });
  variants.push({ variant: 'problem+json', body: JSON.stringify(seed), contentType: 'application/problem+json; charset=utf-8' });
  variants.push({ variant: 'extra member', body: JSON.stringify({ ...(seed as object), unexpected: 1 }) });
  variants.push({ variant: 'prototype pollution', body: `{"__proto__":{"admin":true},${JSON.stringify(seed).slice(1)}` });

  const leaves = leafPaths(seed);
  // Where a lone surrogate did harm (a 500 from the signer), it was one field among many: every string gets one.
  for (const path of leaves.filter((p) => typeof valueAt(seed, p) === 'string')) {
    variants.push({ variant: `lone surrogate in ${path.join('.')}`, body: JSON.stringify(withAt(seed, path, `${String(valueAt(seed, path))}\ud800`)) });
  }
  // Deep nesting inside every object, built as text: JSON.stringify itself would overflow first.
  for (const path of objectPaths(seed)) {
    const marked = JSON.stringify(withAt(seed, [...path, 'deep'], '__DEEP__'));
    variants.push({ variant: `deep inside ${path.join('.') || 'the body'}`, body: marked.replace('"__DEEP__"', nested(20_000)) });
  }
  for (const path of random.sample(leaves, perKind)) {
    variants.push({ variant: `missing ${path.join('.')}`, body: JSON.stringify(withAt(seed, path, REMOVE)) });
  }
  for (const path of random.sample(leaves, perKind)) {
    const wrong = random.pick(WRONG_TYPES);
    variants.push({ variant: `wrong type ${path.join('.')} = ${JSON.stringify(wrong)}`, body: JSON.stringify(withAt(seed, path, wrong)) });
  }
  for (const path of random.sample(leaves, perKind)) {
    const hostile = random.pick(HOSTILE_STRINGS);
    variants.push({ variant: `hostile ${path.join('.')} = ${JSON.stringify(hostile.slice(0, 12))}`, body: JSON.stringify(withAt(seed, path, hostile)) });
  }
  return variants;
}

/** Path parameter values: valid-looking, wrong, and hostile, percent-encoded as a client would send them. */
export function pathValues(valid: string, random: ReturnType<typeof seeded>, count: number): { variant: string; value: string }[] {
  const encode = (s: string) => (s.isWellFormed() ? encodeURIComponent(s) : '%ED%A0%80');
  const candidates = [
    ...WRONG_SCALARS.map((s) => ({ variant: `path ${s}`, value: s.startsWith('%') ? s : encodeURIComponent(s) })),
    ...HOSTILE_STRINGS.filter((s) => s !== '').map((s) => ({ variant: `path ${JSON.stringify(s.slice(0, 12))}`, value: encode(s) })),
    { variant: 'path %', value: '%' },
    { variant: 'path %2F', value: `${valid}%2F..` },
  ];
  return random.sample(candidates, count);
}

/** Query values: wrong scalars and hostile strings for one parameter, sampled. */
export function queryValues(random: ReturnType<typeof seeded>, count: number): string[] {
  const encode = (s: string) => (s.isWellFormed() ? encodeURIComponent(s) : '%ED%A0%80');
  return random.sample([...WRONG_SCALARS, ...HOSTILE_STRINGS.map(encode), '%', '%zz'], count);
}

export function operationsOf(doc: { paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: unknown }>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), template, parameters: op.parameters ?? [], hasBody: op.requestBody !== undefined })),
  );
}
