/**
 * The events of one batch act differ only in a few characters: each stores the whole signed act
 * (what its signers signed) and its own index in it. Stored whole, an act over n carriers takes
 * n times its own size, n² in all. The SQLite store therefore keeps the first event of an append
 * whole and each later one as the part that differs from it: how many leading and trailing
 * characters the two share, and the middle. Reading puts the text back exactly; nothing above the
 * store sees the difference, and a verifier reads the same bytes the ledger wrote.
 */

/** Shorter texts are stored whole: sharing would save little and cost a read of the base. */
const MIN_SHARED_LENGTH = 2_048;

export type SharedText = { head: number; middle: string; tail: number };

/** How `text` can be stored against `base`, or undefined to store it whole. */
export function shareWith(base: string, text: string): SharedText | undefined {
  if (text.length < MIN_SHARED_LENGTH || base.length < MIN_SHARED_LENGTH) return undefined;
  const limit = Math.min(base.length, text.length);
  let head = 0;
  while (head < limit && base.charCodeAt(head) === text.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < limit - head && base.charCodeAt(base.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  // SQLite stores UTF-8: a middle that began or ended inside a surrogate pair would be mangled.
  if (head > 0 && isHighSurrogate(text.charCodeAt(head - 1))) head--;
  if (tail > 0 && isLowSurrogate(text.charCodeAt(text.length - tail))) tail--;
  const middle = text.slice(head, text.length - tail);
  // Worth it only when nearly all of the text is shared.
  return middle.length * 8 < text.length ? { head, middle, tail } : undefined;
}

/** The text `shareWith` took apart. */
export const joinShared = (base: string, { head, middle, tail }: SharedText): string =>
  base.slice(0, head) + middle + base.slice(base.length - tail);

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Puts stored texts back together: `textAt(position)` reads the text an event was stored against.
 * A batch act's events are read one after another, so the few texts they share are kept (every
 * base is an event stored whole). Undefined when the base is not there (a row deleted by hand).
 * `forget` drops what is kept: after a rolled-back write, a position may come back with other text.
 */
export function createSharedTextReader(textAt: (position: number) => string | undefined) {
  const bases = new Map<number, string>();
  const read = (data: string, sharedWith: number | bigint | null, head: number | bigint | null, tail: number | bigint | null): string | undefined => {
    if (sharedWith === null) return data;
    const position = Number(sharedWith);
    let base = bases.get(position);
    if (base === undefined) {
      base = textAt(position);
      if (base === undefined) return undefined;
      if (bases.size >= KEPT_BASES) bases.delete(bases.keys().next().value!);
      bases.set(position, base);
    }
    return joinShared(base, { head: Number(head), middle: data, tail: Number(tail) });
  };
  return { read, forget: () => bases.clear() };
}

const KEPT_BASES = 8;
