/**
 * What any JSON value Liaison accepts must satisfy, whatever its contract: what PostgreSQL (text,
 * jsonb), Kafka headers and JavaScript can keep exactly, and what the recursive validators can walk
 * without exhausting the stack. The gateway, the admin API, delivery (libs/http body parsing) and the
 * event contract (validateEvent, also on the router's side) all apply this one rule. ADR 0034.
 */

/** Deepest nesting accepted: the top-level value is at depth 1. Liaison's deepest contract (a polygon in a policy in a simulated change) needs 8. */
export const MAX_JSON_DEPTH = 32;

/**
 * Free-text members, by name: the only strings that may hold tab, line feed and carriage return
 * (a narrative has paragraphs). Every other string is a single line.
 */
export const MULTILINE_MEMBERS: ReadonlySet<string> = new Set([
  'narrative',
  'summary',
  'changeSummary',
  'description',
  'instruction',
  'note',
  'basis',
  'reason',
  'purpose',
  'handlingConditions',
]);

/** A response names at most this many problems; an input with more is refused all the same. */
export const MAX_REPORTED_PROBLEMS = 20;

// Names Object.prototype already has. class-transformer's plainToInstance throws on a member named
// `constructor` and silently drops one named `toString`, so neither reaches class-validator's
// whitelist; JSON.parse makes `__proto__` an own member that a later spread or merge would treat as
// the prototype. Such members are refused before any transformation runs.
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));

// NUL (text and jsonb cannot hold it), the other C0 controls, DEL and the C1 controls; tab, line
// feed and carriage return are judged separately, by member.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAK_OR_TAB = /[\t\n\r]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** One reason an input was refused, located by an RFC 6901 JSON pointer into the input. */
export interface FieldProblem {
  readonly pointer: string;
  readonly detail: string;
}

/** Options for `jsonInputProblems`. */
export interface JsonScreenOptions {
  /** Check only the nesting depth (the caller screens the rest element by element, e.g. a batch of events). */
  depthOnly?: boolean;
}

/**
 * Every way `input` breaks the rule above, as problems at JSON pointers (at most
 * MAX_REPORTED_PROBLEMS). Walks iteratively, so no input can exhaust the stack, and never throws.
 */
export function jsonInputProblems(input: unknown, options: JsonScreenOptions = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: [value: unknown, pointer: string, member: string, depth: number][] = [[input, '', '', 1]];
  for (let next = pending.pop(); next !== undefined && problems.length < MAX_REPORTED_PROBLEMS; next = pending.pop()) {
    const [value, pointer, member, depth] = next;
    if (typeof value === 'string') {
      if (!options.depthOnly) {
        const detail = stringProblem(value, MULTILINE_MEMBERS.has(member));
        if (detail !== undefined) problems.push({ pointer, detail });
      }
      continue;
    }
    if (typeof value === 'number') {
      if (!options.depthOnly) {
        const detail = numberProblem(value);
        if (detail !== undefined) problems.push({ pointer, detail });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      problems.push({ pointer, detail: `nesting deeper than ${MAX_JSON_DEPTH} levels is not accepted` });
      continue;
    }
    const isArray = Array.isArray(value);
    const names = Object.keys(value);
    // Pushed in reverse so the walk, and so the problems, follow the document's order.
    for (let i = names.length - 1; i >= 0; i -= 1) {
      const name = names[i]!;
      const at = `${pointer}/${pointerToken(name)}`;
      if (!isArray && !options.depthOnly) {
        const nameDetail = memberNameProblem(name);
        if (nameDetail !== undefined) {
          problems.push({ pointer: at, detail: nameDetail });
          continue;
        }
      }
      pending.push([(value as Record<string, unknown>)[name], at, isArray ? member : name, depth + 1]);
    }
  }
  return problems.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/** Escapes one reference token for a JSON pointer (RFC 6901 §3). */
export function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function memberNameProblem(name: string): string | undefined {
  if (RESERVED.has(name)) return `property ${name} should not exist`;
  if (CONTROL.test(name) || LINE_BREAK_OR_TAB.test(name)) return 'member names must not contain control characters';
  if (LONE_SURROGATE.test(name)) return 'member names must be valid Unicode (unpaired surrogate)';
  return undefined;
}

function stringProblem(value: string, multiline: boolean): string | undefined {
  if (value.includes('\u0000')) return 'must not contain U+0000 (NUL)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (!multiline && LINE_BREAK_OR_TAB.test(value)) return 'must be a single line (no tab, line feed or carriage return)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (unpaired surrogate)';
  return undefined;
}

function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'number is out of range';
  // Every double beyond 2^53 is an integer, so this bounds fractions too.
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER)
    return `number must be between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, to be kept exactly`;
  return undefined;
}
