import { z } from 'zod';
import { PersonId } from '../primitives.js';
import { Policy } from './policy.js';

/** The whole policy, not a difference: anyone reading one event knows every threshold in force. */
export const PolicyAdopted = z
  .object({
    type: z.literal('PolicyAdopted'),
    data: z.object({ policy: Policy, adoptedBy: PersonId }).strict(),
  })
  .strict();

export const PolicyEvent = z.discriminatedUnion('type', [PolicyAdopted]);
export type PolicyEvent = z.infer<typeof PolicyEvent>;
