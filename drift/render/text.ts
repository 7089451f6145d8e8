/** Small text helpers shared by the renderers. */
import { createTwoFilesPatch } from 'diff';
import { formatValue } from '../../core/errors';
import type { PolicyDiff, TargetResult } from '../model';

/** `expected` / `actual` as shown to people: strings quoted, objects compact JSON, long values cut. */
export function showValue(value: unknown): string {
  return value === undefined ? '(absent)' : formatValue(value);
}

/** Unified diff of the canonical policies, without the `Index:`/`===` preamble. */
export function policyPatch(diff: PolicyDiff): string {
  const patch = createTwoFilesPatch(`${diff.address} (state)`, `${diff.address} (AWS)`, diff.expected, diff.actual, undefined, undefined, { context: 3 });
  return patch
    .split('\n')
    .filter((l) => !l.startsWith('Index:') && !/^=+$/.test(l))
    .join('\n')
    .replace(/\n+$/, '\n');
}

/** Every policy diff of a result: `policyDiffs`, else the single `policyDiff`. */
export function policyDiffsOf(result: TargetResult): readonly PolicyDiff[] {
  return result.policyDiffs ?? (result.policyDiff ? [result.policyDiff] : []);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const STATUS_LABEL = { in_sync: 'in sync', drifted: 'drifted', unknown: 'could not be checked' } as const;
