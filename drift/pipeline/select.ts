/**
 * `--target NAME` selection: exact names or globs (`prod-*`). A pattern that matches no target is
 * reported, not silently dropped: the caller turns it into an `unknown` target result.
 */
import { globMatch } from '../ignore';

export interface Selection<T> {
  readonly selected: T[];
  /** Patterns that matched nothing. */
  readonly unmatched: string[];
}

export function selectTargets<T>(items: readonly T[], nameOf: (t: T) => string, patterns: readonly string[]): Selection<T> {
  if (patterns.length === 0) return { selected: [...items], unmatched: [] };
  const matched = new Set<string>();
  const selected = items.filter((item) => {
    const name = nameOf(item);
    let hit = false;
    for (const p of patterns) {
      if (globMatch(p, name)) {
        matched.add(p);
        hit = true;
      }
    }
    return hit;
  });
  return { selected, unmatched: patterns.filter((p) => !matched.has(p)) };
}
