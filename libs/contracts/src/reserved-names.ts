// Names Object.prototype already has. class-transformer's plainToInstance throws on a member named
// `constructor` and silently drops one named `toString`, so neither reaches class-validator's
// whitelist; such members are refused before the transformation runs.
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Every member of `input`, at any depth, whose name is an Object.prototype property, as
 * `{pointer, detail}` problems. Walks iteratively, so a deeply nested body cannot exhaust the stack.
 */
export function reservedNameProblems(input: unknown): { pointer: string; detail: string }[] {
  const problems: { pointer: string; detail: string }[] = [];
  const pending: [unknown, string][] = [[input, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, pointer] = next;
    if (typeof value !== 'object' || value === null) continue;
    for (const name of Object.keys(value)) {
      const at = `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (RESERVED.has(name)) problems.push({ pointer: at, detail: `property ${name} should not exist` });
      else pending.push([(value as Record<string, unknown>)[name], at]);
    }
  }
  return problems.sort((a, b) => a.pointer.localeCompare(b.pointer));
}
