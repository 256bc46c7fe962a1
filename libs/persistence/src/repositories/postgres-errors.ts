import { QueryFailedError } from 'typeorm';

/** True for PostgreSQL's unique_violation (23505), however TypeORM wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** True for foreign_key_violation (23503): a referenced row does not exist. */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlState(error) === '23503';
}

function sqlState(error: unknown): string | undefined {
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (typeof driverError === 'object' && driverError !== null && 'code' in driverError) {
    return typeof driverError.code === 'string' ? driverError.code : undefined;
  }
  return undefined;
}

/**
 * Rows of an `UPDATE … RETURNING`. TypeORM's postgres driver answers UPDATE and DELETE with
 * `[rows, affectedCount]` rather than the rows INSERT and SELECT give; this hides the difference.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
