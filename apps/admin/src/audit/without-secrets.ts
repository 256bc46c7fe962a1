/** Property names that hold secrets or their digests; never written to the audit log. */
const SECRET_NAME = /(secret|password|token|hash|digest|salt|sha256|^key$)/i;

/**
 * A JSON-safe copy of a before/after snapshot without secret-looking properties (at any depth).
 * A second line of defence: callers already pass views, which carry no secrets.
 */
export function withoutSecrets(value: object | null | undefined): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  return scrub(value) as Record<string, unknown>;
}

function scrub(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return undefined;
  if (Array.isArray(value)) return value.map(scrub);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value)) {
      if (SECRET_NAME.test(name)) continue;
      const cleaned = scrub(inner);
      if (cleaned !== undefined) out[name] = cleaned;
    }
    return out;
  }
  return value;
}
