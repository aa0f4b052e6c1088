import { z } from 'zod';
import { PersonId } from '../primitives.js';
import { Policy, defaultPolicy } from './policy.js';

/**
 * A security officer puts a new version of the policy in force from the act's time on. Acts before
 * it stay judged by the policy of their own time (RULES.md, Policy).
 */
export const AdoptPolicy = z
  .object({
    type: z.literal('AdoptPolicy'),
    data: z.object({ policy: Policy, adoptedBy: PersonId }).strict(),
  })
  .strict()
  .describe('Put a new version of the policy in force from now on')
  .meta({ examples: [{ type: 'AdoptPolicy', data: { policy: { ...defaultPolicy, name: 'office-2027', version: 2 }, adoptedBy: 'officer' } }] });

export const PolicyCommand = z.discriminatedUnion('type', [AdoptPolicy]);
export type PolicyCommand = z.infer<typeof PolicyCommand>;
