/**
 * A small IAM evaluator for ONE resource policy (a KMS key policy), with no identity policies, SCPs or
 * session policies: explicit Deny wins, then any Allow, else implicit deny. Used by the encryption
 * pre-flight, the local AWS emulator and the drift comparer's `outage` class. Pure: no SDK, no I/O.
 */
import type { PolicyDocument, PolicyPrincipal, PolicyStatement } from './types';
import { evaluateCondition, resolveVariables, type ContextValue, type RequestContext } from './private/conditions';
import { splitArn, wildcardMatch } from './private/wildcard';
import { ACCOUNT_ID_PATTERN, ROOT_ARN_PATTERN, toList } from './private/values';

export type { ContextValue, RequestContext } from './private/conditions';

export interface RequestPrincipal {
  readonly type: 'AWS' | 'Service';
  /** An IAM ARN (role, user, assumed-role session, account root) or a service name (`sso.amazonaws.com`). */
  readonly id: string;
  /** The principal's account; derived from an ARN when omitted. */
  readonly account?: string;
}

export interface AccessRequest {
  readonly principal: RequestPrincipal;
  /** `kms:Decrypt`; compared case-insensitively. */
  readonly action: string;
  /** The key ARN. When omitted, only `"Resource": "*"` (a key policy's own key) matches. */
  readonly resource?: string;
  /** Condition keys (case-insensitive). Principal keys (aws:PrincipalArn, ...) are derived when absent. */
  readonly context: RequestContext;
}

export type DecisionKind = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface Decision {
  readonly decision: DecisionKind;
  /** Labels (Sid, or `Statement[i]` without one) of the statements that decided: the Denies, else the Allows. */
  readonly matchedSids: string[];
}

/** The same decision with statement indexes, for callers that attribute results to statements. */
export interface DetailedDecision extends Decision {
  readonly matchedIndexes: number[];
}

export function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.Sid !== undefined && statement.Sid !== '' ? statement.Sid : `Statement[${index}]`;
}

export function evaluatePolicy(doc: PolicyDocument, request: AccessRequest): Decision {
  const { decision, matchedSids } = evaluatePolicyDetailed(doc, request);
  return { decision, matchedSids };
}

export function evaluatePolicyDetailed(doc: PolicyDocument, request: AccessRequest): DetailedDecision {
  const context = withPrincipalContext(request);
  const allows: number[] = [];
  const denies: number[] = [];
  doc.Statement.forEach((statement, index) => {
    if (!statementApplies(statement, request, context)) return;
    (statement.Effect === 'Deny' ? denies : allows).push(index);
  });
  const decided = denies.length > 0 ? denies : allows;
  const decision: DecisionKind = denies.length > 0 ? 'explicit-deny' : allows.length > 0 ? 'allow' : 'implicit-deny';
  return {
    decision,
    matchedIndexes: decided,
    matchedSids: decided.map((i) => statementLabel(doc.Statement[i] as PolicyStatement, i)),
  };
}

function statementApplies(s: PolicyStatement, request: AccessRequest, context: RequestContext): boolean {
  if (s.Principal !== undefined && !principalMatches(s.Principal, request.principal)) return false;
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, request.principal)) return false;
  if (s.Principal === undefined && s.NotPrincipal === undefined) return false; // a resource policy needs one
  if (s.Action !== undefined && !toList(s.Action).some((a) => actionMatches(a, request.action))) return false;
  if (s.NotAction !== undefined && toList(s.NotAction).some((a) => actionMatches(a, request.action))) return false;
  if (s.Resource !== undefined && !toList(s.Resource).some((r) => resourceMatches(r, request.resource, context))) return false;
  if (s.NotResource !== undefined && toList(s.NotResource).some((r) => resourceMatches(r, request.resource, context))) return false;
  return evaluateCondition(s.Condition, context);
}

export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { ignoreCase: true });
}

function resourceMatches(pattern: string, resource: string | undefined, context: RequestContext): boolean {
  if (resource === undefined) return pattern === '*';
  const resolved = resolveVariables(pattern, context);
  return resolved !== undefined && wildcardMatch(resolved, resource);
}

/** The account of an IAM/STS ARN, or the given account. */
export function principalAccount(p: RequestPrincipal): string | undefined {
  if (p.account) return p.account;
  if (p.type !== 'AWS') return undefined;
  const account = splitArn(p.id)?.[4];
  return account && ACCOUNT_ID_PATTERN.test(account) ? account : undefined;
}

/** `arn:aws:sts::1:assumed-role/Name/session` -> `role/Name` (paths are not in session ARNs). */
function roleNameOfSession(arn: string): string | undefined {
  const fields = splitArn(arn);
  if (!fields || fields[2] !== 'sts') return undefined;
  const m = /^assumed-role\/([^/]+)\//.exec(fields[5] as string);
  return m ? m[1] : undefined;
}

function awsPrincipalMatches(value: string, p: RequestPrincipal): boolean {
  if (value === '*') return true;
  if (p.type !== 'AWS') return false;
  const account = principalAccount(p);
  if (ACCOUNT_ID_PATTERN.test(value)) return account === value;
  const root = ROOT_ARN_PATTERN.exec(value);
  if (root) return account === root[2] && splitArn(p.id)?.[1] === root[1];
  if (value === p.id) return true;
  // A role ARN in a policy also matches that role's sessions.
  const fields = splitArn(value);
  const session = roleNameOfSession(p.id);
  if (fields && session && fields[2] === 'iam' && fields[4] === account && (fields[5] as string).startsWith('role/')) {
    return (fields[5] as string).split('/').pop() === session;
  }
  return false;
}

export function principalMatches(principal: PolicyPrincipal, p: RequestPrincipal): boolean {
  if (principal === '*') return true;
  if (toList(principal.AWS).some((v) => awsPrincipalMatches(v, p))) return true;
  if (p.type === 'Service') return toList(principal.Service).some((v) => v.toLowerCase() === p.id.toLowerCase());
  return false;
}

/** Adds the keys every real request carries about its principal, unless the caller set them. */
function withPrincipalContext(request: AccessRequest): RequestContext {
  const p = request.principal;
  const derived: Record<string, ContextValue> = { 'aws:PrincipalIsAWSService': p.type === 'Service' };
  if (p.type === 'Service') derived['aws:PrincipalServiceName'] = p.id;
  else {
    derived['aws:PrincipalArn'] = p.id;
    const account = principalAccount(p);
    if (account) derived['aws:PrincipalAccount'] = account;
  }
  const present = new Set(Object.keys(request.context).map((k) => k.toLowerCase()));
  for (const key of Object.keys(derived)) if (present.has(key.toLowerCase())) delete derived[key];
  return { ...derived, ...request.context };
}
