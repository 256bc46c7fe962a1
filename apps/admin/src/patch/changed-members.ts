import { ProblemError } from '@liaison/http';

/**
 * The members of a PATCH body that would change the object: those present (not undefined) whose
 * value differs from the object's current one (compared as JSON, so arrays compare by content).
 * A body naming no member at all is refused (400): a PATCH that asks for nothing is a client's
 * mistake, such as a misspelt Content-Type or member. An empty result is a true no-op, which the
 * use cases answer with the object as it is, writing no audit row and no outbox record.
 */
export function changedMembers<T extends object>(dto: T, current: object): Partial<T> {
  const present = Object.entries(dto).filter(([, value]) => value !== undefined);
  if (present.length === 0) {
    throw new ProblemError('validation-failed', 'a PATCH body must name at least one member to change', [
      { pointer: '', detail: 'must be a JSON object with at least one member' },
    ]);
  }
  const before = current as Record<string, unknown>;
  return Object.fromEntries(
    present.filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(before[name] ?? null)),
  ) as Partial<T>;
}
