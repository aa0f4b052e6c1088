import { describe, expect, it } from 'vitest';
import { sha256, sha256Buffer, sha256Hex, sha256Into } from '../../src/crypto/hash.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * What every SHA-256 in the ledger must give, registered by each test file that runs them: one
 * against node:crypto's one-shot `hash` (Node 20.12+), one against the createHash fallback.
 */
export function sha256Cases(name: string): void {
  describe(name, () => {
    it('matches the FIPS 180-2 vectors', () => {
      expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
        '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
      );
    });

    it('hashes a string as its UTF-8 bytes', () => {
      expect(sha256Hex('Grüße €')).toBe(sha256Hex(new TextEncoder().encode('Grüße €')));
      expect(sha256Hex(new Uint8Array())).toBe(sha256Hex(''));
    });

    it('returns the same digest as 32 raw bytes', () => {
      const digest = sha256('abc');
      expect(digest).toBeInstanceOf(Uint8Array);
      expect(digest.length).toBe(32);
      expect(hex(digest)).toBe(sha256Hex('abc'));
    });

    it('hashes only the viewed part of a subarray', () => {
      const whole = new TextEncoder().encode('xxabcxx');
      expect(sha256Hex(whole.subarray(2, 5))).toBe(sha256Hex('abc'));
    });

    it('writes the digest into a buffer at an offset, touching nothing around it', () => {
      const target = Buffer.alloc(40, 0xee);
      sha256Into('abc', target, 4);
      expect(target.subarray(4, 36).toString('hex')).toBe(sha256Hex('abc'));
      expect([...target.subarray(0, 4), ...target.subarray(36)]).toEqual(Array(8).fill(0xee));
      // Digest bytes above 0x7f survive the trip through text (the vector's first byte is 0xba).
      expect(sha256Buffer('abc').toString('hex')).toBe(sha256Hex('abc'));
    });
  });
}
