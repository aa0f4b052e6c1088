import { describe, expect, it } from 'vitest';
import { createSharedTextReader, joinShared, shareWith } from '../../src/store/sqlite-shared-text.js';

const envelope = (index: number, title = 'Annual plan') =>
  JSON.stringify({ act: { events: Array.from({ length: 80 }, (_, i) => ({ stream: `carrier-B${i}`, title })) }, index, signatures: ['s'.repeat(86)] });

describe('texts stored against another', () => {
  it('keeps only what differs from the base, and puts the text back exactly', () => {
    const base = envelope(0);
    const text = envelope(17);
    const parts = shareWith(base, text)!;
    expect(parts.middle).toBe('17');
    expect(joinShared(base, parts)).toBe(text);
  });

  it('stores short texts, and texts that differ much, whole', () => {
    expect(shareWith('{"index":0}', '{"index":1}')).toBeUndefined();
    expect(shareWith(envelope(0, 'one title'), envelope(1, 'another title entirely'))).toBeUndefined();
  });

  it('never cuts a surrogate pair: SQLite stores UTF-8, where half a pair is lost', () => {
    const around = (emoji: string) => `${'x'.repeat(3_000)}${emoji}${'y'.repeat(3_000)}`;
    // U+1F4C4 and U+1F4C5 share their high surrogate; U+1F4C4 and U+1F8C4 share their low one.
    for (const [one, other] of [['\u{1F4C4}', '\u{1F4C5}'], ['\u{1F4C4}', '\u{1F8C4}']] as const) {
      const parts = shareWith(around(one), around(other))!;
      expect(parts.middle).toBe(other);
      expect(Buffer.from(parts.middle, 'utf8').toString('utf8')).toBe(parts.middle);
      expect(joinShared(around(one), parts)).toBe(around(other));
    }
  });

  it('reads bases once while they are kept, and reports a base that is not there', () => {
    const base = envelope(0);
    const reads: number[] = [];
    const reader = createSharedTextReader((position) => {
      reads.push(position);
      return position === 1 ? base : undefined;
    });
    const parts = shareWith(base, envelope(3))!;
    expect(reader.read(parts.middle, 1n, parts.head, parts.tail)).toBe(envelope(3));
    expect(reader.read(parts.middle, 1, parts.head, parts.tail)).toBe(envelope(3));
    expect(reads).toEqual([1]);
    expect(reader.read('whole', null, null, null)).toBe('whole');
    expect(reader.read(parts.middle, 9, parts.head, parts.tail)).toBeUndefined();
    reader.forget();
    reader.read(parts.middle, 1, parts.head, parts.tail);
    expect(reads).toEqual([1, 9, 1]);
  });
});
