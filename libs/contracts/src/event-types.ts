import { AlertCancelledV1, AlertIssuedV1, AlertUpdatedV1 } from './payloads/alert';
import { IncidentClosedV1, IncidentReportedV1, IncidentUpdatedV1 } from './payloads/incident';
import { IntelPublishedV1, IntelRetractedV1, IntelUpdatedV1 } from './payloads/intel';
import { AlprHitV1, CameraAnalyticV1, GunshotDetectedV1 } from './payloads/sensor';

const INCIDENT_TYPES = {
  'gov.liaison.incident.reported.v1': IncidentReportedV1,
  'gov.liaison.incident.updated.v1': IncidentUpdatedV1,
  'gov.liaison.incident.closed.v1': IncidentClosedV1,
} as const;

const INTEL_TYPES = {
  'gov.liaison.intel.published.v1': IntelPublishedV1,
  'gov.liaison.intel.updated.v1': IntelUpdatedV1,
  'gov.liaison.intel.retracted.v1': IntelRetractedV1,
} as const;

const ALERT_TYPES = {
  'gov.liaison.alert.issued.v1': AlertIssuedV1,
  'gov.liaison.alert.updated.v1': AlertUpdatedV1,
  'gov.liaison.alert.cancelled.v1': AlertCancelledV1,
} as const;

const SENSOR_TYPES = {
  'gov.liaison.sensor.alpr-hit.v1': AlprHitV1,
  'gov.liaison.sensor.gunshot-detected.v1': GunshotDetectedV1,
  'gov.liaison.sensor.camera-analytic.v1': CameraAnalyticV1,
} as const;

/**
 * The registry of event types: type name → payload class. A type not listed here is rejected at
 * every boundary. Adding a type is additive; changing a listed class may only add optional fields.
 * Types are declared per family above, so every type belongs to exactly one family.
 */
export const EVENT_TYPES = {
  ...INCIDENT_TYPES,
  ...INTEL_TYPES,
  ...ALERT_TYPES,
  ...SENSOR_TYPES,
} as const;

export type EventTypeName = keyof typeof EVENT_TYPES;
export type EventPayload<T extends EventTypeName> = InstanceType<(typeof EVENT_TYPES)[T]>;

function typeNames<T extends object>(family: T): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(family) as (keyof T & string)[]);
}

/** Event families → their type names. */
export const EVENT_FAMILIES = Object.freeze({
  incident: typeNames(INCIDENT_TYPES),
  intel: typeNames(INTEL_TYPES),
  alert: typeNames(ALERT_TYPES),
  sensor: typeNames(SENSOR_TYPES),
});

export type EventFamily = keyof typeof EVENT_FAMILIES;

export function isEventTypeName(value: unknown): value is EventTypeName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}
