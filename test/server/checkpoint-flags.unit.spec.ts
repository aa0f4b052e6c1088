import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/crypto/ed25519.js';
import { parseServerArgs } from '../../src/server/main.js';
import { witnessVerifierKey } from '../../src/verify/witness/witness.js';

describe('npm start: how often to sign checkpoints, and whose cosignatures to record', () => {
  const auditor = witnessVerifierKey('audit-office', generateKeyPair().secretKey);
  const second = witnessVerifierKey('second-office', generateKeyPair().secretKey);

  it('leaves both to the server unless given; the flag wins over the environment', () => {
    expect(parseServerArgs([], {})).not.toHaveProperty('checkpointSeconds');
    expect(parseServerArgs([], {})).not.toHaveProperty('witnessKeys');
    expect(parseServerArgs([], { CUSTODY_CHECKPOINT_SECONDS: '0' })).toMatchObject({ checkpointSeconds: 0 });
    expect(parseServerArgs(['--checkpoint-every', '60'], { CUSTODY_CHECKPOINT_SECONDS: '0' })).toMatchObject({ checkpointSeconds: 60 });
  });

  it('reads witnesses from repeated flags or a comma-separated variable, as verifier keys', () => {
    const fromFlags = parseServerArgs(['--witness', auditor, '--witness', second], {});
    expect(fromFlags).toMatchObject({ witnessKeys: [{ name: 'audit-office', algorithm: 4 }, { name: 'second-office', algorithm: 4 }] });
    expect(parseServerArgs([], { CUSTODY_WITNESSES: `${auditor}, ${second}` })).toEqual(fromFlags);
  });

  it('refuses a period that is not whole seconds, or longer than a timer can wait, and a witness key that is not one', () => {
    for (const bad of ['-1', '1.5', 'soon', '', '99999999']) {
      expect(() => parseServerArgs([`--checkpoint-every=${bad}`], {}), bad).toThrow(/--checkpoint-every must be a whole number of seconds from 0 to 2147483/);
    }
    expect(() => parseServerArgs(['--witness', 'not-a-key'], {})).toThrow(/^--witness "not-a-key": not an Ed25519 public key/);
  });
});
