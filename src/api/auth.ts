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
  /** Bounds on outstanding (issued, unused, unexpired) challenges; see ChallengeLimits. */
  challengeLimits?: Partial<ChallengeLimits>;
};

/**
 * Anyone may ask for a challenge, so how many may be outstanding is bounded: per client (its
 * address), per person asked for by one client, and in all. Over a bound the asker gets 429 with
 * Retry-After; a challenge already given is never evicted to make room, so no amount of asking by
 * others makes a real login fail. A login uses one challenge for a second: the bounds are far above that.
 */
export type ChallengeLimits = { perClient: number; perClientAndPerson: number; total: number };
export const DEFAULT_CHALLENGE_LIMITS: ChallengeLimits = { perClient: 32, perClientAndPerson: 4, total: 10_000 };

type Session = { personId: string; publicKey: string; expiresAtMs: number };
type Challenge = { personId: string; client: string; expiresAtMs: number };
export type ChallengeIssued = { challenge: string; expiresAt: IsoTime; ledgerId: string };
export type ChallengeRefused = { refused: string; retryAfterSeconds: number };

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
  const limits = { ...DEFAULT_CHALLENGE_LIMITS, ...options.challengeLimits };
  const challenges = new Map<string, Challenge>();
  /** The outstanding challenges of each client: its bound is checked, and its expired ones dropped, without a full sweep. */
  const byClient = new Map<string, Set<string>>();
  const sessions = new Map<string, Session>();
  let nextSweepMs = 0;
  let lastFullSweepMs = -Infinity;

  const iso = (ms: number) => new Date(ms).toISOString();

  function sweep(now: number, force = false): void {
    if (now < nextSweepMs && !force) return;
    nextSweepMs = now + 60_000;
    for (const [token, session] of sessions) if (session.expiresAtMs <= now) sessions.delete(token);
    for (const [challenge, entry] of challenges) if (entry.expiresAtMs <= now) forget(challenge);
  }

  function forget(challenge: string): Challenge | undefined {
    const entry = challenges.get(challenge);
    if (entry === undefined) return undefined;
    challenges.delete(challenge);
    const mine = byClient.get(entry.client);
    mine?.delete(challenge);
    if (mine?.size === 0) byClient.delete(entry.client);
    return entry;
  }

  /** Why a new challenge for `personId` to `client` is refused (a bound is reached; expired ones do not count), or undefined. */
  function overBound(personId: string, client: string, now: number): ChallengeRefused | undefined {
    const mine = byClient.get(client);
    if (mine !== undefined) {
      for (const challenge of mine) if (challenges.get(challenge)!.expiresAtMs <= now) forget(challenge);
      const live = [...(byClient.get(client) ?? [])].map((challenge) => challenges.get(challenge)!);
      if (live.length >= limits.perClient) return tooMany(`too many login challenges outstanding from this client (${limits.perClient})`, live, now);
      const forPerson = live.filter((entry) => entry.personId === personId);
      if (forPerson.length >= limits.perClientAndPerson) {
        return tooMany(`too many login challenges outstanding for ${personId} from this client (${limits.perClientAndPerson})`, forPerson, now);
      }
    }
    if (challenges.size >= limits.total) {
      // At most one full sweep a second, however hard the table is pressed.
      if (now >= lastFullSweepMs + 1000) {
        lastFullSweepMs = now;
        sweep(now, true);
      }
      if (challenges.size >= limits.total) {
        return tooMany('the server holds as many login challenges as it keeps; none is given up for a new one', [challenges.values().next().value!], now);
      }
    }
    return undefined;
  }

  /** Refused until the oldest of `outstanding` expires. A refusal is data: a flood of them must cost little. */
  const tooMany = (detail: string, outstanding: Challenge[], now: number): ChallengeRefused => ({
    refused: `${detail}; ask again later`,
    retryAfterSeconds: Math.max(1, Math.ceil((Math.min(...outstanding.map((entry) => entry.expiresAtMs)) - now) / 1000)),
  });

  return {
    /**
     * A single-use challenge for `personId`, whether or not that person exists, to `client` (its
     * address: what the bounds count by); over a bound, why not and when to ask again.
     */
    challenge(personId: string, client = 'local'): ChallengeIssued | ChallengeRefused {
      const now = nowMs();
      sweep(now);
      const refused = overBound(personId, client, now);
      if (refused) return refused;
      const challenge = encodeBase64url(randomBytes(32));
      const expiresAtMs = now + challengeTtlMs;
      challenges.set(challenge, { personId, client, expiresAtMs });
      const mine = byClient.get(client) ?? new Set<string>();
      mine.add(challenge);
      byClient.set(client, mine);
      return { challenge, expiresAt: iso(expiresAtMs), ledgerId: ledger.ledgerId };
    },

    /** Checks the signed challenge and issues a token; any failure is the same 401. */
    token(input: { personId: string; publicKey: string; challenge: string; signature: string }): { token: string; expiresAt: IsoTime } {
      const time = clock();
      const now = Date.parse(time);
      const entry = forget(input.challenge);
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
