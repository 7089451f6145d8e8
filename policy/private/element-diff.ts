/**
 * Differences between two paired statements, element by element, each classed as widening (security)
 * or not (change; compare.ts may re-class it as outage). Widening depends on the Effect: an added
 * action widens an Allow and narrows a Deny.
 */
import type { ChangeClass } from '../../drift/model';
import type { CanonicalCondition, CanonicalPrincipal, CanonicalStatement } from '../canonical';
import { statementBody } from '../canonical';
import type { DifferenceKind, PolicyDifference, PolicyElement, StatementRef } from '../compare';
import { CONDITION_OPERATORS, parseOperator } from './conditions';
import { UNIQUE_ID_PATTERN } from './values';
import { wildcardMatch } from './wildcard';

export type DifferenceDraft = { -readonly [K in keyof PolicyDifference]: PolicyDifference[K] };

function ref(e: CanonicalStatement | undefined, a: CanonicalStatement | undefined): StatementRef {
  const sid = e?.sid ?? a?.sid;
  return { ...(sid !== undefined ? { sid } : {}), ...(e ? { expectedIndex: e.index } : {}), ...(a ? { actualIndex: a.index } : {}) };
}

function describeRef(r: StatementRef): string {
  const where = [r.expectedIndex !== undefined ? `expected #${r.expectedIndex}` : '', r.actualIndex !== undefined ? `actual #${r.actualIndex}` : ''].filter(Boolean).join(', ');
  return `Statement ${r.sid !== undefined ? JSON.stringify(r.sid) : '(no Sid)'} (${where})`;
}

const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

export function statementAddedOrRemoved(s: CanonicalStatement, kind: 'added' | 'removed'): DifferenceDraft {
  const r = kind === 'added' ? ref(undefined, s) : ref(s, undefined);
  // An Allow appearing or a Deny disappearing grants more.
  const widens = (kind === 'added') === (s.effect === 'Allow');
  return {
    element: 'statement',
    kind,
    statement: r,
    changeClass: widens ? 'security' : 'change',
    ...(kind === 'added' ? { actual: statementBody(s) } : { expected: statementBody(s) }),
    message: `${describeRef(r)}: ${s.effect} statement ${kind}${widens ? ', granting access the expected policy does not' : ''}`,
  };
}

/** `AWS:arn:...`, `Service:sso.amazonaws.com`, or `*`. */
function principalValues(p: CanonicalPrincipal | undefined): string[] {
  if (p === undefined) return [];
  if (p === '*') return ['*'];
  return Object.entries(p).flatMap(([type, values]) => (values ?? []).map((v) => `${type}:${v}`));
}

function setDiff(expected: readonly string[], actual: readonly string[]): { added: string[]; removed: string[] } {
  return { added: actual.filter((v) => !expected.includes(v)), removed: expected.filter((v) => !actual.includes(v)) };
}

/** An added value is covered when an expected value's wildcard already matches it. */
function uncovered(added: readonly string[], expected: readonly string[], ignoreCase: boolean): string[] {
  return added.filter((v) => !expected.some((p) => p === '*' || wildcardMatch(p, v, { ignoreCase })));
}

export function diffStatementPair(e: CanonicalStatement, a: CanonicalStatement): DifferenceDraft[] {
  const r = ref(e, a);
  const out: DifferenceDraft[] = [];
  const allow = e.effect === 'Allow' && a.effect === 'Allow';
  const push = (element: PolicyElement, kind: DifferenceKind, changeClass: ChangeClass, detail: string, extra: Partial<DifferenceDraft>) =>
    out.push({ element, kind, statement: r, changeClass, message: `${describeRef(r)}: ${detail}`, ...extra });

  if (e.sid !== a.sid) {
    push('sid', 'changed', 'cosmetic', `Sid changed from ${JSON.stringify(e.sid ?? null)} to ${JSON.stringify(a.sid ?? null)}`, { expected: e.sid, actual: a.sid });
  }
  if (e.effect !== a.effect) {
    const widens = a.effect === 'Allow';
    push('effect', 'changed', widens ? 'security' : 'change', `Effect changed from ${e.effect} to ${a.effect}`, { expected: e.effect, actual: a.effect });
  }

  // An element that switches form (Action <-> NotAction, ...) is one difference: X lists what the
  // statement covers, NotX everything else, so an Allow that moves to NotX grants what it never named.
  const switched = new Set<PolicyElement>();
  const forms: [PolicyElement, PolicyElement, boolean, boolean, boolean, boolean][] = [
    ['principal', 'not-principal', e.principal !== undefined, e.notPrincipal !== undefined, a.principal !== undefined, a.notPrincipal !== undefined],
    ['action', 'not-action', e.action !== undefined, e.notAction !== undefined, a.action !== undefined, a.notAction !== undefined],
    ['resource', 'not-resource', e.resource !== undefined, e.notResource !== undefined, a.resource !== undefined, a.notResource !== undefined],
  ];
  for (const [positive, negative, ePos, eNeg, aPos, aNeg] of forms) {
    if (!((ePos && aNeg && !aPos) || (eNeg && aPos && !ePos))) continue;
    switched.add(positive).add(negative);
    const toNegative = aNeg;
    // An Allow grows when it moves to NotX; a Deny grows (so access shrinks) when it does, and the mirror.
    const widens = allow ? toNegative : !toNegative && e.effect === 'Deny' && a.effect === 'Deny';
    const [from, to] = toNegative ? [positive, negative] : [negative, positive];
    const values = (el: PolicyElement, st: CanonicalStatement): readonly string[] =>
      el === 'principal' ? principalValues(st.principal) : el === 'not-principal' ? principalValues(st.notPrincipal)
        : el === 'action' ? st.action ?? [] : el === 'not-action' ? st.notAction ?? [] : el === 'resource' ? st.resource ?? [] : st.notResource ?? [];
    const ev = values(from, e);
    const av = values(to, a);
    push(to, 'changed', widens ? 'security' : 'change',
      `${from} ${list(ev)} replaced by ${to} ${list(av)}${widens ? `: the statement now covers everything not listed` : ''}`, { expected: ev, actual: av });
  }

  // Positive elements widen an Allow when values are added; Not* elements widen it when values are removed.
  const elements: [PolicyElement, readonly string[] | undefined, readonly string[] | undefined, boolean, boolean][] = [
    ['principal', principalValues(e.principal), principalValues(a.principal), true, false],
    ['not-principal', principalValues(e.notPrincipal), principalValues(a.notPrincipal), false, false],
    ['action', e.action, a.action, true, true],
    ['not-action', e.notAction, a.notAction, false, true],
    ['resource', e.resource, a.resource, true, false],
    ['not-resource', e.notResource, a.notResource, false, false],
  ];
  for (const [element, ev = [], av = [], positive, ignoreCase] of elements) {
    if (switched.has(element)) continue;
    let { added, removed } = setDiff(ev, av);
    if (element === 'principal') {
      const deleted = added.filter((v) => UNIQUE_ID_PATTERN.test(v.replace(/^AWS:/, '')));
      if (deleted.length > 0) {
        // KMS shows a deleted role or user by its unique ID in place of its ARN: those ARNs are not
        // "removed" on top of that (one change, one difference).
        const replaced = removed.filter((v) => /:(role|user)\//.test(v)).slice(0, deleted.length);
        const was = replaced.length > 0 ? ` where ${list(replaced)} was` : '';
        push('principal', 'deleted-principal', 'change', `principal ${list(deleted)} is an IAM unique ID${was}: the role or user it named was deleted, and recreating it does not restore access`, {
          expected: replaced, actual: deleted, added: deleted, removed: replaced,
        });
        added = added.filter((v) => !deleted.includes(v));
        removed = removed.filter((v) => !replaced.includes(v));
      }
    }
    if (added.length === 0 && removed.length === 0) continue;
    // Wildcards count: replacing kms:* by kms:Decrypt adds a value but grants nothing new.
    const addsScope = uncovered(added, ev, ignoreCase).length > 0;
    const dropsScope = uncovered(removed, av, ignoreCase).length > 0;
    // Positive elements widen an Allow when they grow; Not* elements when they shrink. A Deny is the mirror.
    const widens = allow === positive ? addsScope : dropsScope;
    const kind: DifferenceKind = removed.length === 0 ? 'added' : added.length === 0 ? 'removed' : 'changed';
    const parts = [added.length ? `added ${list(added)}` : '', removed.length ? `removed ${list(removed)}` : ''].filter(Boolean).join('; ');
    const star = element === 'principal' && added.includes('*') ? ' (any principal)' : '';
    push(element, kind, widens ? 'security' : 'change', `${element} ${parts}${star}`, { expected: ev, actual: av, added, removed });
  }
  out.push(...diffConditions(e.condition ?? {}, a.condition ?? {}, allow, r, describeRef(r)));
  return out;
}

/** Whether adding values to this operator's list admits more requests (false for negated operators). */
function addingValuesWidens(operator: string): boolean | undefined {
  const parsed = parseOperator(operator);
  if (!parsed || parsed.base === 'Null' || parsed.base === 'Bool' || parsed.base.startsWith('Numeric') || parsed.base.startsWith('Date')) return undefined;
  const negated = CONDITION_OPERATORS[parsed.base]?.negated ?? false;
  return !negated;
}

function diffConditions(e: CanonicalCondition, a: CanonicalCondition, allow: boolean, r: StatementRef, where: string): DifferenceDraft[] {
  const out: DifferenceDraft[] = [];
  const entries = new Set<string>();
  for (const [op, keys] of [...Object.entries(e), ...Object.entries(a)]) for (const key of Object.keys(keys)) entries.add(JSON.stringify([op, key]));
  for (const entry of [...entries].sort()) {
    const [op, key] = JSON.parse(entry) as [string, string];
    const ev = e[op]?.[key];
    const av = a[op]?.[key];
    const conditionKey = `${op} ${key}`;
    let kind: DifferenceKind;
    let loosens: boolean;
    let added: string[] = [];
    let removed: string[] = [];
    if (ev === undefined && av !== undefined) {
      kind = 'added';
      loosens = false; // one more condition to meet
      added = [...av];
    } else if (av === undefined && ev !== undefined) {
      kind = 'removed';
      loosens = true;
      removed = [...ev];
    } else {
      ({ added, removed } = setDiff(ev ?? [], av ?? []));
      if (added.length === 0 && removed.length === 0) continue;
      kind = 'changed';
      const widening = addingValuesWidens(op);
      // Unknown direction (Bool, Null, Numeric, Date): treat as loosening, the safe side.
      loosens = widening === undefined ? true : widening ? added.length > 0 : removed.length > 0;
    }
    // A looser condition widens an Allow; a tighter condition on a Deny widens too.
    const widens = allow ? loosens : !loosens;
    const parts = [added.length ? `added ${list(added)}` : '', removed.length ? `removed ${list(removed)}` : ''].filter(Boolean).join('; ');
    const what = kind === 'added' ? `condition ${conditionKey} added (${list(added)})` : kind === 'removed' ? `condition ${conditionKey} removed (was ${list(removed)})` : `condition ${conditionKey} values ${parts}`;
    out.push({
      element: 'condition', kind, statement: r, changeClass: widens ? 'security' : 'change', conditionKey,
      ...(ev ? { expected: ev } : {}), ...(av ? { actual: av } : {}), added, removed,
      message: `${where}: ${what}`,
    });
  }
  return out;
}
