import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CloudEventEnvelope, type LiaisonEvent } from './envelope';
import { EVENT_TYPES, isEventTypeName } from './event-types';
import { jsonInputProblems, pointerToken, type FieldProblem } from './json-limits';

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
} as const;

/**
 * Validates an untrusted value (parsed JSON, a decoded Kafka message) as a Liaison event. Never
 * throws for any input; every problem carries a JSON pointer to the offending member.
 */
export function validateEvent(input: unknown): ValidationOutcome<LiaisonEvent> {
  if (!isPlainObject(input)) {
    return { ok: false, problems: [{ pointer: '', detail: 'an event must be a JSON object' }] };
  }
  // Before the recursive transformation: nothing class-transformer cannot walk or PostgreSQL cannot store gets further.
  const unstorable = jsonInputProblems(input);
  if (unstorable.length > 0) return { ok: false, problems: unstorable };
  const envelope = plainToInstance(CloudEventEnvelope, input);
  const problems = toProblems(validateSync(envelope, VALIDATOR_OPTIONS), '');
  const data = input['data'];
  const type = input['type'];
  if (isEventTypeName(type) && isPlainObject(data)) {
    const payloadClass: new () => LiaisonEvent['data'] = EVENT_TYPES[type];
    const payload = plainToInstance(payloadClass, data);
    problems.push(...toProblems(validateSync(payload, VALIDATOR_OPTIONS), '/data'));
    if (problems.length === 0) {
      return { ok: true, value: { ...(envelope as Omit<CloudEventEnvelope, 'type'>), type, data: payload } };
    }
  }
  return { ok: false, problems };
}

/**
 * Flattens class-validator errors into problems located by JSON pointers under `prefix`: one
 * problem per member, its failed constraints joined, so a client sees each bad field once.
 */
export function toProblems(errors: readonly ValidationError[], prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const pointer = `${prefix}/${pointerToken(error.property)}`;
    const details = Object.values(error.constraints ?? {});
    if (details.length > 0) problems.push({ pointer, detail: details.join('; ') });
    problems.push(...toProblems(error.children ?? [], pointer));
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
