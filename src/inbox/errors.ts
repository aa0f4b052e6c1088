import type { PendingActStatus } from './port.js';

/** The act is no longer waiting for signatures: it was appended, declined, expired or went stale. */
export class ActNotPending extends Error {
  override readonly name = 'ActNotPending';
  constructor(
    readonly actId: string,
    readonly status: Exclude<PendingActStatus, 'pending'>,
    detail: string,
  ) {
    super(detail);
  }
}

/** Only an act's own signers may submit it, add signatures to it or decline it. */
export class NotASigner extends Error {
  override readonly name = 'NotASigner';
  constructor(
    readonly personId: string,
    readonly actId: string,
    signers: string[],
  ) {
    super(`${personId} is not a signer of act ${actId} (signers: ${signers.join(', ')})`);
  }
}
