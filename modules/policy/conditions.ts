import type { ConditionBlock, ConditionValue, OneOrMany } from '../../policy/types';

/** One condition: operator, key, value(s). */
export interface ConditionClause {
  readonly operator: string;
  readonly key: string;
  readonly value: OneOrMany<ConditionValue>;
}

/** Merges clauses into a condition block (`{operator: {key: value}}`); undefined clauses are skipped. */
export function conditionBlock(...clauses: readonly (ConditionClause | undefined)[]): ConditionBlock | undefined {
  const block: Record<string, Record<string, OneOrMany<ConditionValue>>> = {};
  for (const c of clauses) {
    if (!c) continue;
    (block[c.operator] ??= {})[c.key] = c.value;
  }
  return Object.keys(block).length > 0 ? block : undefined;
}

/** A single string for one element, an array otherwise (how AWS's templates write lists). */
export function oneOrMany<T>(values: readonly T[]): OneOrMany<T> {
  return values.length === 1 ? values[0] : values;
}
