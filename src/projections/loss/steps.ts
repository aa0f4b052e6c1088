import type { Carrier } from '../../domain/carrier/state.js';
import type { IsoTime } from '../../domain/primitives.js';
import type { CustodyInterval } from '../as-of/model.js';
import { isoOf, type Deadline } from '../time.js';
import type { MissingCase } from './model.js';
import type { Relative } from './relatives.js';
import type { Custodian } from './trace.js';

/** One thing still to do on a missing case, with the rule behind it and its deadline if it has one. */
export type Step = { rule: 'R-LOSS-2' | 'R-LOSS-3'; step: string; due: IsoTime | null };

type CaseFacts = {
  carrier: Carrier;
  latest: MissingCase | null;
  custody: CustodyInterval | null;
  people: Custodian[];
  relatives: Relative[];
  deadlines: { report: Deadline; conclusion: Deadline } | null;
};

const describeRelative = (r: Relative) => `${r.relation} ${r.carrierId} (${r.status}, ${r.holders.join(' and ') || 'no holder'})`;

/** What remains on an open case; a concluded case (recovered or declared lost) has nothing left. */
export function remainingSteps({ carrier, latest, custody, people, relatives, deadlines }: CaseFacts): Step[] {
  if (!latest || !deadlines || latest.recovered !== null || latest.declaredLost !== null) return [];
  const steps: Step[] = [];
  if (deadlines.report.state !== 'met') {
    steps.push({
      rule: 'R-LOSS-3',
      step: `Report the loss of ${carrier.id} to the security office (no security officer has signed for the case yet)`,
      due: deadlines.report.due,
    });
  }
  if (custody) {
    steps.push({
      rule: 'R-LOSS-2',
      step:
        `Search ${custody.location}, where ${custody.holders.join(' and ')} last signed for it ` +
        `(${custody.eventType} at ${isoOf(custody.ms)})`,
      due: null,
    });
  }
  const inWindow = people.filter((p) => p.inExposureWindow).map((p) => `${p.name} (${p.personId})`);
  const before = people.filter((p) => !p.inExposureWindow).map((p) => `${p.name} (${p.personId})`);
  if (inWindow.length > 0) {
    steps.push({ rule: 'R-LOSS-2', step: `Question who had it in the exposure window: ${inWindow.join(', ')}`, due: null });
  }
  if (before.length > 0) {
    steps.push({ rule: 'R-LOSS-2', step: `Question who had it since the last sighting: ${before.join(', ')}`, due: null });
  }
  const review = relatives.filter((r) => r.status !== 'destroyed');
  if (review.length > 0) {
    steps.push({
      rule: 'R-LOSS-2',
      step: `Review the related carriers: ${review.map(describeRelative).join('; ')}`,
      due: null,
    });
  }
  steps.push({
    rule: 'R-LOSS-3',
    step: `Conclude the case: record the recovery (RecoverCarrier) or have a security officer declare ${carrier.id} lost (DeclareLost)`,
    due: deadlines.conclusion.due,
  });
  return steps;
}
