import { randomBytes } from 'node:crypto';
import { signingBytes } from '../domain/canonical.js';
import { keyValidAt, type Person } from '../domain/person/state.js';
import type { IsoTime } from '../domain/primitives.js';
import { encodeBase64url } from '../crypto/base64url.js';
import type { Verifier } from '../crypto/ed25519.js';
import type { Ledger } from '../ledger/ledger.js';
import { unauthorized } from './problems.js';

/** What a person signs to log in: the ledger, who they are, and the server's fresh challenge. */
export const LOGIN_SIGNING_DOMAIN = 'custody-ledger/login/v1';

export const loginSigningBytes = (ledgerId: string, personId: string, challenge: string): Uint8Array =>
  signingBytes(LOGIN_SIGNING_DOMAIN, { ledger: ledgerId, personId, challenge });

export type SessionOptions = {
  ledger: Ledger;
  /** Injected in tests; absent, the system clock is read without formatting a date per request. */
  clock?: () => IsoTime;
  verifier: Verifier;
  /** Default 15 minutes. */
  tokenTtlMs?: number;
  /** Default 2 minutes. */
  challengeTtlMs?: number;
  /** Outstanding challenges kept at most; the oldest go first. Anyone may ask for one. */
  maxChallenges?: number;
};

type Session = { personId: string; publicKey: string; expiresAtMs: number };

/** The same words for every failed login: a caller must not learn whether the person or the key exists. */
const LOGIN_REFUSED = 'the login was not accepted: request a new challenge and sign it with a current key of that person';

/**
 * Proof of possession of an enrolled key, exchanged for a short-lived bearer token. Reads then cost
 * a Map lookup, not an Ed25519 verification. Tokens live in memory: a restart logs everyone out.
 */
export function createSessions(options: SessionOptions) {
  const { ledger, verifier } = options;
  const clock = options.clock ?? (() => new Date().toISOString());
  const nowMs = options.clock ? () => Date.parse(clock()) : Date.now;
  const tokenTtlMs = options.tokenTtlMs ?? 15 * 60_000;
  const challengeTtlMs = options.challengeTtlMs ?? 2 * 60_000;
  const maxChallenges = options.maxChallenges ?? 10_000;
  const challenges = new Map<string, { personId: string; expiresAtMs: number }>();
  const sessions = new Map<string, Session>();
  let nextSweepMs = 0;

  const iso = (ms: number) => new Date(ms).toISOString();

  function sweep(now: number): void {
    if (now < nextSweepMs) return;
    nextSweepMs = now + 60_000;
    for (const [token, session] of sessions) if (session.expiresAtMs <= now) sessions.delete(token);
    for (const [challenge, entry] of challenges) if (entry.expiresAtMs <= now) challenges.delete(challenge);
  }

  return {
    /** A single-use challenge for `personId`, whether or not that person exists. */
    challenge(personId: string): { challenge: string; expiresAt: IsoTime; ledgerId: string } {
      const now = nowMs();
      sweep(now);
      while (challenges.size >= maxChallenges) challenges.delete(challenges.keys().next().value!);
      const challenge = encodeBase64url(randomBytes(32));
      const expiresAtMs = now + challengeTtlMs;
      challenges.set(challenge, { personId, expiresAtMs });
      return { challenge, expiresAt: iso(expiresAtMs), ledgerId: ledger.ledgerId };
    },

    /** Checks the signed challenge and issues a token; any failure is the same 401. */
    token(input: { personId: string; publicKey: string; challenge: string; signature: string }): { token: string; expiresAt: IsoTime } {
      const time = clock();
      const now = Date.parse(time);
      const entry = challenges.get(input.challenge);
      challenges.delete(input.challenge);
      const person = ledger.model.directory.get(input.personId);
      const accepted =
        entry !== undefined &&
        entry.personId === input.personId &&
        entry.expiresAtMs > now &&
        person !== undefined &&
        keyValidAt(person, input.publicKey, time) !== undefined &&
        verifier.verify(input.publicKey, loginSigningBytes(ledger.ledgerId, input.personId, input.challenge), input.signature);
      if (!accepted) throw unauthorized(LOGIN_REFUSED);
      sweep(now);
      const token = encodeBase64url(randomBytes(32));
      const expiresAtMs = now + tokenTtlMs;
      sessions.set(token, { personId: input.personId, publicKey: input.publicKey, expiresAtMs });
      return { token, expiresAt: iso(expiresAtMs) };
    },

    /**
     * The person behind an `Authorization: Bearer <token>` header, or undefined. A token dies with
     * its expiry, with its person's deactivation, and with the revocation of the key that logged in.
     */
    authenticate(header: string | undefined): Person | undefined {
      if (header === undefined || !header.startsWith('Bearer ')) return undefined;
      const token = header.slice(7);
      const session = sessions.get(token);
      if (session === undefined) return undefined;
      const now = nowMs();
      if (now >= session.expiresAtMs) {
        sessions.delete(token);
        return undefined;
      }
      const person = ledger.model.directory.get(session.personId);
      if (person === undefined) return undefined;
      const key = person.keys.find((k) => k.publicKey === session.publicKey);
      // A key without an end date is valid now; only one that was rotated or revoked needs the date.
      if (key === undefined || ((key.validUntil !== null || key.revokedFrom !== null) && !keyValidAt(person, key.publicKey, iso(now)))) {
        return undefined;
      }
      return person;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
