/**
 * The canonical form of a policy, for comparing meaning (issue 5, "policy meaning"):
 * - statements are an unordered set (identical statements collapse);
 * - a scalar equals a one-element list; values are de-duplicated and sorted;
 * - action names and condition keys compare case-insensitively (lower-cased here);
 * - condition operators and values compare exactly, values as sets of strings (`true` == `"true"`);
 * - a 12-digit account principal equals `arn:<partition>:iam::<id>:root` in the document's own partition;
 * - `"Principal": "*"` equals `{"AWS": "*"}` (IAM documents them as the same);
 * - Version, Id, Sid, Effect and the Not* elements are kept strictly.
 */
import type { ConditionBlock, PolicyDocument, PolicyPrincipal, PolicyStatement } from './types';
import { ACCOUNT_ID_PATTERN, DEFAULT_PARTITION, conditionValueText, rootArn, toList, uniqueSorted } from './private/values';
import { PRINCIPAL_TYPES } from './parse';

export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** `'*'`, or the principal values by type (types without values dropped). */
export type CanonicalPrincipal = '*' | Readonly<Partial<Record<PrincipalType, readonly string[]>>>;

/** operator -> lower-cased key -> sorted unique values. */
export type CanonicalCondition = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface CanonicalStatement {
  /** Index of the statement in the original document. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: string;
  readonly principal?: CanonicalPrincipal;
  readonly notPrincipal?: CanonicalPrincipal;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly condition?: CanonicalCondition;
}

export interface CanonicalPolicy {
  readonly version: string;
  readonly id?: string;
  /** Inferred from the document's ARNs; `aws` when it has none. */
  readonly partition: string;
  readonly statements: readonly CanonicalStatement[];
}

const ARN_PARTITION = /^arn:([a-z][a-z0-9-]*):/;

/** The partition most of the document's ARNs name (ties: alphabetical), else `aws`. */
export function inferPartition(doc: PolicyDocument): string {
  const counts = new Map<string, number>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = ARN_PARTITION.exec(v);
      if (m) counts.set(m[1] as string, (counts.get(m[1] as string) ?? 0) + 1);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(doc.Statement);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return ranked[0]?.[0] ?? DEFAULT_PARTITION;
}

export function canonicalize(doc: PolicyDocument): CanonicalPolicy {
  const partition = inferPartition(doc);
  const seen = new Set<string>();
  const statements: CanonicalStatement[] = [];
  doc.Statement.forEach((s, index) => {
    const c = canonicalStatement(s, index, partition);
    const key = statementKey(c);
    if (seen.has(key)) return;
    seen.add(key);
    statements.push(c);
  });
  statements.sort(compareStatements);
  return { version: doc.Version, ...(doc.Id !== undefined ? { id: doc.Id } : {}), partition, statements };
}

function canonicalStatement(s: PolicyStatement, index: number, partition: string): CanonicalStatement {
  const out: { -readonly [K in keyof CanonicalStatement]: CanonicalStatement[K] } = { index, effect: s.Effect };
  if (s.Sid !== undefined && s.Sid !== '') out.sid = s.Sid;
  if (s.Principal !== undefined) out.principal = canonicalPrincipal(s.Principal, partition);
  if (s.NotPrincipal !== undefined) out.notPrincipal = canonicalPrincipal(s.NotPrincipal, partition);
  if (s.Action !== undefined) out.action = canonicalActions(s.Action);
  if (s.NotAction !== undefined) out.notAction = canonicalActions(s.NotAction);
  if (s.Resource !== undefined) out.resource = uniqueSorted(toList(s.Resource));
  if (s.NotResource !== undefined) out.notResource = uniqueSorted(toList(s.NotResource));
  if (s.Condition !== undefined && Object.keys(s.Condition).length > 0) out.condition = canonicalCondition(s.Condition);
  return out;
}

export function canonicalActions(actions: PolicyStatement['Action']): string[] {
  return uniqueSorted(toList(actions).map((a) => a.toLowerCase()));
}

export function canonicalPrincipal(p: PolicyPrincipal, partition: string): CanonicalPrincipal {
  if (p === '*') return '*';
  const aws = toList(p.AWS);
  if (aws.includes('*')) return '*';
  const out: Partial<Record<PrincipalType, string[]>> = {};
  for (const type of PRINCIPAL_TYPES) {
    let values = toList(p[type]);
    if (type === 'AWS') values = values.map((v) => (ACCOUNT_ID_PATTERN.test(v) ? rootArn(partition, v) : v));
    if (type === 'Service') values = values.map((v) => v.toLowerCase());
    if (values.length > 0) out[type] = uniqueSorted(values);
  }
  return out;
}

export function canonicalCondition(block: ConditionBlock): CanonicalCondition {
  const out: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(block).sort()) {
    const keys: Record<string, Set<string>> = {};
    for (const [key, values] of Object.entries(block[operator] ?? {})) {
      const k = key.toLowerCase();
      const set = (keys[k] ??= new Set());
      for (const v of toList(values)) set.add(conditionValueText(v));
    }
    out[operator] = Object.fromEntries(Object.keys(keys).sort().map((k) => [k, uniqueSorted(keys[k] as Set<string>)]));
  }
  return out;
}

/** Keys already computed: canonical statements are immutable, and sorting and matching ask for the same key many times. */
const statementKeys = new WeakMap<CanonicalStatement, string>();

/** The statement without its position, as stable JSON: equal keys mean equal statements. */
export function statementKey(s: CanonicalStatement): string {
  let key = statementKeys.get(s);
  if (key === undefined) {
    key = JSON.stringify(statementBody(s));
    statementKeys.set(s, key);
  }
  return key;
}

/** The statement's elements in AWS's documentation order, without the index. */
export function statementBody(s: CanonicalStatement): Record<string, unknown> {
  // Assigned one by one (not spread from temporary objects): this runs for every statement of every
  // policy a drift run compares.
  const body: Record<string, unknown> = {};
  if (s.sid !== undefined) body.Sid = s.sid;
  body.Effect = s.effect;
  if (s.principal !== undefined) body.Principal = s.principal;
  if (s.notPrincipal !== undefined) body.NotPrincipal = s.notPrincipal;
  if (s.action !== undefined) body.Action = s.action;
  if (s.notAction !== undefined) body.NotAction = s.notAction;
  if (s.resource !== undefined) body.Resource = s.resource;
  if (s.notResource !== undefined) body.NotResource = s.notResource;
  if (s.condition !== undefined) body.Condition = s.condition;
  return body;
}

function compareStatements(a: CanonicalStatement, b: CanonicalStatement): number {
  // Code-point order, not localeCompare: the same order on every machine, and far cheaper.
  const sa = a.sid ?? '\uffff';
  const sb = b.sid ?? '\uffff';
  if (sa !== sb) return sa < sb ? -1 : 1;
  const ka = statementKey(a);
  const kb = statementKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The canonical form as stable, pretty JSON (two-space indent, trailing newline): the input of unified diffs. */
export function canonicalPolicyText(doc: PolicyDocument): string {
  const c = canonicalize(doc);
  const body = {
    Version: c.version,
    ...(c.id !== undefined ? { Id: c.id } : {}),
    Statement: c.statements.map(statementBody),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** True when the two documents mean the same (ignores the inferred partition itself). */
export function policiesEquivalent(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonicalPolicyText(a) === canonicalPolicyText(b);
}
