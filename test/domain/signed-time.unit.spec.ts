import { describe, expect, it } from 'vitest';
import { ActSignature, signatureSigningBytes, signedMessageOf } from '../../src/domain/act.js';
import { effectiveTime, effectiveTimeOf, signedTimeProblem } from '../../src/domain/signed-time.js';

const act = { time: '2026-11-23T09:00:00.000Z', signers: ['clerk1', 'reader1'] };
const at = (clock: string) => `2026-11-23T${clock}.000Z`;

describe('when an act takes effect', () => {
  it('at its last required signature', () => {
    const signatures = [{ signer: 'clerk1', signedAt: at('09:00:01') }, { signer: 'reader1', signedAt: at('09:00:15') }];
    expect(effectiveTimeOf(act, signatures)).toEqual({ time: at('09:00:15'), rule: 'last-signature' });
    expect(effectiveTime(act, signatures)).toBe(at('09:00:15'));
  });

  it('at its prepared time when any required signature carries no time (v1, older ledgers)', () => {
    const signatures = [{ signer: 'clerk1' }, { signer: 'reader1', signedAt: at('09:00:15') }];
    expect(effectiveTimeOf(act, signatures)).toEqual({ time: act.time, rule: 'prepared-time' });
    expect(effectiveTime(act, signatures)).toBe(act.time);
  });

  it('ignores a signature of someone who is not a signer of the act', () => {
    const signatures = [{ signer: 'clerk1', signedAt: at('09:00:01') }, { signer: 'stranger', signedAt: at('10:00:00') }];
    expect(effectiveTime(act, signatures)).toBe(at('09:00:01'));
  });
});

describe('the signers\' times (L-TIME)', () => {
  const skew = 5 * 60_000;
  it('accepts times between the preparation and the ledger\'s clock, each within the skew', () => {
    expect(signedTimeProblem(act, [{ signer: 'clerk1', signedAt: at('08:55:00') }, { signer: 'reader1', signedAt: at('09:15:00') }], skew, at('09:10:00'))).toBeUndefined();
  });
  it('refuses a signature before the act was prepared, beyond the skew', () => {
    expect(signedTimeProblem(act, [{ signer: 'reader1', signedAt: at('08:54:59') }], skew)).toMatchObject({ reason: 'signed-before-prepared', message: expect.stringMatching(/^L-TIME: reader1 signed at/) });
  });
  it('refuses a signature after the ledger\'s clock, beyond the skew', () => {
    expect(signedTimeProblem(act, [{ signer: 'reader1', signedAt: at('09:15:00') }], skew, at('09:09:59'))).toMatchObject({ reason: 'signed-in-future' });
  });
});

describe('what a v2 signature signs', () => {
  it('is the act id and the signer\'s time, domain-separated, in canonical form', () => {
    const actId = 'a'.repeat(64);
    expect(new TextDecoder().decode(signatureSigningBytes(actId, at('09:00:15')))).toBe(
      `custody-ledger/signature/v2\n{"actId":"${actId}","signedAt":"2026-11-23T09:00:15.000Z"}`,
    );
    const actBytes = new Uint8Array([1, 2, 3]);
    expect(signedMessageOf({}, actId, actBytes)).toBe(actBytes);
  });

  it('the signature schema takes both forms, and a signedAt only in the ledger\'s time format', () => {
    const v1 = { signer: 'clerk1', publicKey: 'A'.repeat(43), signature: 'B'.repeat(86) };
    expect(ActSignature.safeParse(v1).success).toBe(true);
    expect(ActSignature.safeParse({ ...v1, signedAt: at('09:00:15') }).success).toBe(true);
    expect(ActSignature.safeParse({ ...v1, signedAt: '2026-11-23 09:00' }).success).toBe(false);
  });
});
