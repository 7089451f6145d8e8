/**
 * Pairs the statements of two canonical policies: identical statements first, then equal Sids, then the
 * best structural match (most equal elements, at least half of those present). The rest are added or removed.
 */
import { statementKey, type CanonicalStatement } from '../canonical';

export interface StatementMatch {
  readonly pairs: [CanonicalStatement, CanonicalStatement][];
  readonly removed: CanonicalStatement[];
  readonly added: CanonicalStatement[];
}

const COMPARED_ELEMENTS = ['effect', 'principal', 'notPrincipal', 'action', 'notAction', 'resource', 'notResource', 'condition'] as const;

/** Two statements pair structurally only when at least this share of their present elements is equal. */
export const MIN_STRUCTURAL_SIMILARITY = 0.5;

export function similarity(a: CanonicalStatement, b: CanonicalStatement): number {
  let present = 0;
  let equal = 0;
  for (const el of COMPARED_ELEMENTS) {
    if (a[el] === undefined && b[el] === undefined) continue;
    present++;
    if (JSON.stringify(a[el]) === JSON.stringify(b[el])) equal++;
  }
  return present === 0 ? 1 : equal / present;
}

export function matchStatements(expected: readonly CanonicalStatement[], actual: readonly CanonicalStatement[]): StatementMatch {
  const pairs: [CanonicalStatement, CanonicalStatement][] = [];
  let es = [...expected];
  let as = [...actual];
  const take = (e: CanonicalStatement, a: CanonicalStatement) => {
    pairs.push([e, a]);
    es = es.filter((x) => x !== e);
    as = as.filter((x) => x !== a);
  };

  for (const e of [...es]) {
    const a = as.find((x) => statementKey(x) === statementKey(e));
    if (a) take(e, a);
  }
  for (const e of [...es]) {
    if (e.sid === undefined) continue;
    const a = as.find((x) => x.sid === e.sid);
    if (a) take(e, a);
  }
  const candidates: { e: CanonicalStatement; a: CanonicalStatement; score: number }[] = [];
  for (const e of es) for (const a of as) {
    const score = similarity(e, a);
    if (score >= MIN_STRUCTURAL_SIMILARITY) candidates.push({ e, a, score });
  }
  candidates.sort((x, y) => y.score - x.score || x.e.index - y.e.index || x.a.index - y.a.index);
  for (const c of candidates) if (es.includes(c.e) && as.includes(c.a)) take(c.e, c.a);

  return { pairs, removed: es, added: as };
}
