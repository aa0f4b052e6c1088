import type { Carrier } from '../domain/carrier/state.js';
import { createAccessModel, evolveAccess, snapshotAccess, type AccessModel } from './access/model.js';
import { createAlertsModel, evolveAlerts, snapshotAlerts, type AlertsModel } from './alerts/model.js';
import { createAsOfModel, evolveAsOf, snapshotAsOf, type AsOfModel } from './as-of/model.js';
import { createCustodyModel, evolveCustody, snapshotCustody, type CustodyModel } from './custody/model.js';
import type { Fact } from './facts.js';
import { createLineageModel, evolveLineage, snapshotLineage, type LineageModel } from './lineage/model.js';
import { createLossModel, evolveLoss, snapshotLoss, type LossModel } from './loss/model.js';
import { createPersonsModel, evolvePersons, personLookup, snapshotPersons, type PersonLookup, type PersonsModel } from './persons/model.js';
import { createPolicyModel, evolvePolicy, policyAtOf, snapshotPolicy, type PolicyModel } from './policy/model.js';
import type { PolicyAt } from './time.js';

/** Every read model, folded together from one stream of facts. */
export type Models = {
  custody: CustodyModel;
  asOf: AsOfModel;
  access: AccessModel;
  lineage: LineageModel;
  loss: LossModel;
  alerts: AlertsModel;
  persons: PersonsModel;
  lookup: PersonLookup;
  policy: PolicyModel;
  /** The policy in force at an instant: the base, then each adoption from its time on. */
  policyAt: PolicyAt;
};

export function createModels(basePolicy: PolicyAt): Models {
  const persons = createPersonsModel();
  const policy = createPolicyModel(basePolicy);
  return {
    custody: createCustodyModel(),
    asOf: createAsOfModel(),
    access: createAccessModel(),
    lineage: createLineageModel(),
    loss: createLossModel(),
    alerts: createAlertsModel(),
    persons,
    lookup: personLookup(persons),
    policy,
    policyAt: policyAtOf(policy),
  };
}

/**
 * Folds one fact into every read model. Current custody goes first: the domain's `evolveCarrier`
 * says what the event did to custody, and the other models fold that transition rather than
 * re-deriving the custody rules. Returns that state of the carrier (for a carrier event), so a
 * write model reading the same log can take it rather than fold the event a second time.
 */
export function applyFact(models: Models, fact: Fact): Carrier | undefined {
  if (fact.kind === 'person') evolvePersons(models.persons, fact);
  else if (fact.kind === 'policy') evolvePolicy(models.policy, fact);
  if (fact.kind !== 'carrier') return undefined;
  const transition = evolveCustody(models.custody, fact);
  if (!transition) return undefined;
  evolveAsOf(models.asOf, fact, transition);
  evolveAccess(models.access, fact, transition);
  evolveLineage(models.lineage, fact);
  evolveLoss(models.loss, fact, models.lookup);
  evolveAlerts(models.alerts, fact, transition, { persons: models.lookup });
  return transition.after;
}

/** Every model as plain ordered data, caches left out: two foldings of one log compare equal. */
export const snapshotModels = (models: Models) => ({
  custody: snapshotCustody(models.custody),
  asOf: snapshotAsOf(models.asOf),
  access: snapshotAccess(models.access),
  lineage: snapshotLineage(models.lineage),
  loss: snapshotLoss(models.loss),
  alerts: snapshotAlerts(models.alerts),
  persons: snapshotPersons(models.persons),
  policy: snapshotPolicy(models.policy),
});
