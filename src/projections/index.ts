/**
 * The read side: where every carrier is and who holds it, now and at any past moment; access
 * records, lineage, lost-carrier traces, WATCH alerts and incident reconstruction. Start with
 * `createProjections({ store, policy })`.
 */
export { createProjections, type ProjectionOptions, type ProjectionSet } from './projection-set.js';
export { ProjectionLag } from './lifecycle.js';
export { ProjectionError } from './facts.js';
export { parseInstant, type Deadline, type PolicyAt } from './time.js';
export type { CarrierCustody, CarrierSummary, OpenCirculation, OpenItems, OpenLoan, OpenTransport } from './custody/queries.js';
export type { CustodyAt } from './as-of/queries.js';
export type { AccessRecord, AccessLine, AccessPerson } from './access/queries.js';
export { PHYSICAL_ROLES, RECORD_ROLES, type AccessRole } from './access/parties.js';
export type { Lineage, LineageNode } from './lineage/queries.js';
export type { LossTrace, Custodian, CustodianPeriod } from './loss/trace.js';
export type { Step } from './loss/steps.js';
export type { Relative } from './loss/relatives.js';
export { AlertsQuery, WATCH_RULES, SEVERITIES, type Alert, type Severity, type WatchRule } from './alerts/rules.js';
export { IncidentQueryInput, parseIncidentQuery, type IncidentQuery } from './incident/query.js';
export type { IncidentReport, IncidentAct, IncidentCarrier, IncidentPerson, IncidentSpan } from './incident/reconstruct.js';
export { renderIncident, type IncidentFormat } from './incident/render.js';
