/**
 * JSON pointers (RFC 6901) as field rules use them, with one extension: the segment `-` stands for
 * every element of an array (RFC 6901 gives `-` no meaning for reading, so nothing is lost).
 */

/** The unescaped segments of a pointer; `''` (the whole document) has none. Throws on a pointer without a leading `/`. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function segmentCovers(general: string, specific: string): boolean {
  return general === specific || (general === '-' && (specific === '-' || /^(0|[1-9]\d*)$/.test(specific)));
}

/**
 * True when removing `general` also removes everything `specific` names: `general` is a prefix of
 * `specific`, segment by segment, where `-` covers any array index and `-` itself.
 */
export function pointerCovers(general: string, specific: string): boolean {
  const g = pointerSegments(general);
  const s = pointerSegments(specific);
  if (g.length > s.length) return false;
  return g.every((segment, i) => segmentCovers(segment, s[i] as string));
}

/** True when one of `pointers` covers `pointer`. */
export function anyPointerCovers(pointers: readonly string[], pointer: string): boolean {
  return pointers.some((p) => pointerCovers(p, pointer));
}

/** Every value a pointer names in `root` (several through `-`); an empty list when nothing is there. */
export function pointerValues(root: unknown, pointer: string): unknown[] {
  let current: unknown[] = [root];
  for (const segment of pointerSegments(pointer)) {
    const next: unknown[] = [];
    for (const node of current) {
      if (Array.isArray(node)) {
        if (segment === '-') next.push(...(node as unknown[]));
        else if (/^(0|[1-9]\d*)$/.test(segment) && Number(segment) < node.length) next.push(node[Number(segment)]);
      } else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, segment)) {
        next.push(node[segment]);
      }
    }
    current = next;
  }
  return current;
}

/**
 * Removes what `pointer` names from `root`, in place (callers pass their own copy). An array
 * element named by index is spliced out; `-` removes the rest of the pointer from every element.
 */
export function removeAtPointer(root: unknown, pointer: string): void {
  const segments = pointerSegments(pointer);
  if (segments.length === 0) return;
  removeSegments(root, segments);
}

function removeSegments(node: unknown, segments: readonly string[]): void {
  const [head, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(node)) {
    const items = node as unknown[];
    if (head === '-') {
      if (rest.length === 0) items.length = 0;
      else for (const item of items) removeSegments(item, rest);
    } else if (/^(0|[1-9]\d*)$/.test(head) && Number(head) < items.length) {
      if (rest.length === 0) items.splice(Number(head), 1);
      else removeSegments(items[Number(head)], rest);
    }
  } else if (isRecord(node) && Object.prototype.hasOwnProperty.call(node, head)) {
    if (rest.length === 0) delete node[head];
    else removeSegments(node[head], rest);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
