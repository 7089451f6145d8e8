/**
 * Compares two policies for meaning and explains every difference: which statement (Sid and index on
 * each side), which element, expected and actual values, and a class (drift/model.ts ChangeClass):
 * - security: the actual policy grants something the expected does not;
 * - outage: Identity Center or Identity Store lose access they need, decided by evaluating both
 *   policies against the Identity Center probes (identity-center.ts), never by string matching;
 * - cosmetic: a Sid rename or an Id change, nothing else;
 * - change: anything else (narrower access nobody we know of needs).
 * Pure: no SDK, no I/O. Output sorted deterministically.
 */
import type { ChangeClass } from '../drift/model';
import type { PolicyDocument } from './types';
import { canonicalize, statementKey, type CanonicalStatement } from './canonical';
import { matchStatements } from './private/match';
import { diffStatementPair, statementAddedOrRemoved, type DifferenceDraft } from './private/element-diff';
import { findLostAccess } from './private/outage';
import type { AccessProbe, IdentityCenterContext } from './identity-center';

export type PolicyElement =
  | 'version'
  | 'id'
  | 'statement'
  | 'sid'
  | 'effect'
  | 'principal'
  | 'not-principal'
  | 'action'
  | 'not-action'
  | 'resource'
  | 'not-resource'
  | 'condition';

/** `deleted-principal`: a unique ID (AROA..., AIDA...) where a principal ARN was: the role or user was deleted. */
export type DifferenceKind = 'added' | 'removed' | 'changed' | 'deleted-principal';

export interface StatementRef {
  /** The Sid (the expected one when both sides have one). */
  readonly sid?: string;
  readonly expectedIndex?: number;
  readonly actualIndex?: number;
}

export interface PolicyDifference {
  readonly element: PolicyElement;
  readonly kind: DifferenceKind;
  /** Absent for document-level differences (version, id). */
  readonly statement?: StatementRef;
  readonly changeClass: ChangeClass;
  /** The element's canonical value in each policy (absent when the element or statement is missing there). */
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** Values present only in the actual policy. */
  readonly added?: readonly string[];
  /** Values present only in the expected policy. */
  readonly removed?: readonly string[];
  /** For conditions: `Operator key`, e.g. `StringEquals aws:sourceaccount`. */
  readonly conditionKey?: string;
  readonly message: string;
}

export interface PolicyComparison {
  readonly equivalent: boolean;
  readonly differences: PolicyDifference[];
  /** Identity Center probes the expected policy allows and the actual one does not. */
  readonly lostAccess: AccessProbe[];
}

export interface CompareOptions {
  /** The instance the key serves; inferred from the expected policy when omitted. */
  readonly identityCenter?: IdentityCenterContext;
}

const ELEMENT_ORDER: readonly PolicyElement[] = [
  'version', 'id', 'statement', 'sid', 'effect', 'principal', 'not-principal', 'action', 'not-action', 'resource', 'not-resource', 'condition',
];

export function comparePolicies(expected: PolicyDocument, actual: PolicyDocument, opts: CompareOptions = {}): PolicyComparison {
  const e = canonicalize(expected);
  const a = canonicalize(actual);
  const drafts: DifferenceDraft[] = [];
  if (e.version !== a.version) {
    drafts.push({ element: 'version', kind: 'changed', changeClass: 'change', expected: e.version, actual: a.version, message: `Version changed from "${e.version}" to "${a.version}"` });
  }
  if (e.id !== a.id) {
    drafts.push({ element: 'id', kind: 'changed', changeClass: 'cosmetic', expected: e.id, actual: a.id, message: `Id changed from ${JSON.stringify(e.id ?? null)} to ${JSON.stringify(a.id ?? null)}` });
  }
  const { pairs, removed, added } = matchStatements(e.statements, a.statements);
  for (const [es, as] of pairs) {
    if (statementKey(es) !== statementKey(as)) drafts.push(...diffStatementPair(es, as));
  }
  for (const s of removed) drafts.push(statementAddedOrRemoved(s, 'removed'));
  for (const s of added) drafts.push(statementAddedOrRemoved(s, 'added'));

  const lostAccess = drafts.length > 0 ? applyOutageClass(expected, actual, drafts, opts.identityCenter) : [];
  const differences = drafts.sort(compareDifferences);
  return { equivalent: differences.length === 0, differences, lostAccess };
}

/** Re-classes `change` differences on the statements that granted (or now deny) the lost access. */
function applyOutageClass(expected: PolicyDocument, actual: PolicyDocument, drafts: DifferenceDraft[], ctx: IdentityCenterContext | undefined): AccessProbe[] {
  const lost = findLostAccess(expected, actual, ctx);
  if (lost.probes.length === 0) return [];
  let attributed = false;
  for (const d of drafts) {
    // A replaced value (some removed, some added) that breaks Identity Center is an outage first.
    const replaced = d.kind === 'changed' && (d.removed?.length ?? 0) > 0;
    if (!d.statement || !(d.changeClass === 'change' || (d.changeClass === 'security' && replaced))) continue;
    const { expectedIndex, actualIndex } = d.statement;
    if ((expectedIndex !== undefined && lost.expectedAllowIndexes.has(expectedIndex)) || (actualIndex !== undefined && lost.actualDenyIndexes.has(actualIndex))) {
      if (d.changeClass === 'security') d.message += ' (it also widens access)';
      d.changeClass = 'outage';
      attributed = true;
    }
  }
  if (!attributed) for (const d of drafts) if (d.changeClass === 'change') d.changeClass = 'outage';
  const names = lost.probes.map((p) => p.name).join(', ');
  for (const d of drafts) if (d.changeClass === 'outage' && !d.message.includes('Identity Center loses')) d.message += ` (Identity Center loses: ${names})`;
  return lost.probes;
}

function compareDifferences(x: PolicyDifference, y: PolicyDifference): number {
  const pos = (d: PolicyDifference) => [d.statement?.expectedIndex ?? Number.MAX_SAFE_INTEGER, d.statement?.actualIndex ?? Number.MAX_SAFE_INTEGER];
  const [xe, xa] = pos(x);
  const [ye, ya] = pos(y);
  const statementless = (d: PolicyDifference) => (d.statement ? 1 : 0);
  return (
    statementless(x) - statementless(y) ||
    (xe as number) - (ye as number) ||
    (xa as number) - (ya as number) ||
    ELEMENT_ORDER.indexOf(x.element) - ELEMENT_ORDER.indexOf(y.element) ||
    (x.conditionKey ?? '').localeCompare(y.conditionKey ?? '') ||
    x.kind.localeCompare(y.kind) ||
    x.message.localeCompare(y.message)
  );
}

export type { CanonicalStatement };
export { inferIdentityCenterContext } from './private/outage';
