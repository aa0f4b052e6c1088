import type { ActSignature, UnsignedAct } from './act.js';
import type { IsoTime } from './primitives.js';

/**
 * An act is bitemporal. It takes effect (valid time) when its last required signer signs: custody
 * does not pass before the receiver has signed for it (R-TRANSPORT-3). The ledger learns of it
 * (transaction time) when it appends it, and records that beside the event, outside the signed bytes.
 * Old ledgers' signatures (v1) carry no time: their acts take effect at their prepared time.
 */

/** How far apart the ledger's clock and a signer's may be: the ledger's default, and what the verifier assumes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Which rule gave an act its effective time: the last v2 signature, or (any v1 signature) its prepared time. */
export type EffectiveTimeRule = 'last-signature' | 'prepared-time';
export type EffectiveTime = { time: IsoTime; rule: EffectiveTimeRule };

type Signed = Pick<ActSignature, 'signer' | 'signedAt'>;

/**
 * When the act took effect: the latest `signedAt` among its required signers; the prepared time
 * `act.time` when any of their signatures has no time (v1) or none is there yet.
 */
export function effectiveTimeOf(act: Pick<UnsignedAct, 'time' | 'signers'>, signatures: readonly Signed[]): EffectiveTime {
  let latest: IsoTime | undefined;
  for (const signature of signatures) {
    if (!act.signers.includes(signature.signer)) continue;
    if (signature.signedAt === undefined) return { time: act.time, rule: 'prepared-time' };
    if (latest === undefined || signature.signedAt > latest) latest = signature.signedAt;
  }
  return latest === undefined ? { time: act.time, rule: 'prepared-time' } : { time: latest, rule: 'last-signature' };
}

/** The effective time alone, for folds that read a million envelopes (no object per event). */
export function effectiveTime(act: Pick<UnsignedAct, 'time' | 'signers'>, signatures: readonly Signed[]): IsoTime {
  let latest: IsoTime | undefined;
  for (const signature of signatures) {
    if (!act.signers.includes(signature.signer)) continue;
    if (signature.signedAt === undefined) return act.time;
    if (latest === undefined || signature.signedAt > latest) latest = signature.signedAt;
  }
  return latest ?? act.time;
}

const ms = (time: IsoTime): number => Date.parse(time);

/**
 * What is wrong with the signers' times, judged against the ledger's clock `now` when one is given
 * (at submission; the verifier passes the time the ledger recorded the append), or undefined.
 * A signer cannot sign before the act was prepared (beyond the clock skew), nor after the ledger
 * received the signature (beyond it either).
 */
export function signedTimeProblem(
  act: Pick<UnsignedAct, 'time'>,
  signatures: readonly Signed[],
  skewMs: number,
  now?: IsoTime,
): { reason: 'signed-before-prepared' | 'signed-in-future'; message: string } | undefined {
  const earliest = ms(act.time) - skewMs;
  const latest = now === undefined ? Number.POSITIVE_INFINITY : ms(now) + skewMs;
  for (const { signer, signedAt } of signatures) {
    if (signedAt === undefined) continue;
    if (ms(signedAt) < earliest) {
      return { reason: 'signed-before-prepared', message: `L-TIME: ${signer} signed at ${signedAt}, before the act was prepared (${act.time})` };
    }
    if (ms(signedAt) > latest) {
      return { reason: 'signed-in-future', message: `L-TIME: ${signer} signed at ${signedAt}, after the ledger's clock (${now}) and its skew` };
    }
  }
  return undefined;
}
