import { IncidentReportedV1 } from './payloads/incident';

/**
 * The registry of event types: type name → payload class. A type not listed here is rejected at
 * every boundary. Adding a type is additive; changing a listed class may only add optional fields.
 */
export const EVENT_TYPES = {
  'gov.liaison.incident.reported.v1': IncidentReportedV1,
} as const;

export type EventTypeName = keyof typeof EVENT_TYPES;
export type EventPayload<T extends EventTypeName> = InstanceType<(typeof EVENT_TYPES)[T]>;

export function isEventTypeName(value: unknown): value is EventTypeName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}
