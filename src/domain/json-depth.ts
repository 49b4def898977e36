// How deep a parsed JSON value nests, counted without recursion so a hostile body cannot overflow
// the stack. Bodies deeper than MAX_JSON_DEPTH are refused before anything reads them: deep enough
// for any real alert, far below what Temporal's payload converter or the store's JSON could choke on.

export const MAX_JSON_DEPTH = 32;

/** True when `value` nests objects or arrays deeper than `limit` levels. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
