/**
 * Checks a key policy the way KMS would refuse it or regret it: lockout, unscoped `Principal: "*"`,
 * duplicate Sids, size. Returns every problem.
 */
import { describeProblem } from '../../core/errors';
import { renderPolicy } from '../../policy/render';
import { KEY_POLICY_MAX_BYTES, type PolicyDocument, type PolicyPrincipal, type PolicyStatement } from '../../policy/types';
import { POLICY_ADMIN_ACTIONS } from '../private/kms-actions';

/** Condition keys that scope a `Principal: "*"` Allow to an organization, an account or a service. */
export const PRINCIPAL_STAR_SCOPING_KEYS: readonly string[] = [
  'aws:PrincipalOrgID',
  'aws:SourceOrgID',
  'aws:PrincipalOrgPaths',
  'aws:SourceOrgPaths',
  'aws:PrincipalAccount',
  'aws:SourceAccount',
  'aws:SourceArn',
  'kms:CallerAccount',
];
export const PRINCIPAL_STAR_ALLOWED = `Principal "*" only with a positive condition (no Not..., ...IfExists or ForAllValues:) on one of ${PRINCIPAL_STAR_SCOPING_KEYS.join(', ')}`;
export const LOCKOUT_ALLOWED = `at least one Allow statement granting ${POLICY_ADMIN_ACTIONS.join(', ')} (or kms:*) to an AWS principal, so the key stays manageable (KMS's lockout safety check)`;
export const KEY_POLICY_SIZE_ALLOWED = `at most ${KEY_POLICY_MAX_BYTES} bytes`;

export function validateKeyPolicy(doc: PolicyDocument): readonly string[] {
  const problems: string[] = [];
  const statements = doc.Statement;

  const administering = statements.filter((s) => s.Effect === 'Allow' && hasAwsPrincipal(s.Principal) && POLICY_ADMIN_ACTIONS.every((a) => grantsAction(s, a)));
  if (administering.length === 0) {
    const withAws = statements.flatMap((s, i) => (s.Effect === 'Allow' && hasAwsPrincipal(s.Principal) ? [s.Sid ?? `#${i}`] : []));
    problems.push(describeProblem('key policy administrators', withAws, LOCKOUT_ALLOWED));
  }

  statements.forEach((s, i) => {
    if (s.Effect === 'Allow' && isEveryone(s.Principal) && !isScoped(s)) {
      problems.push(describeProblem(`key policy statement ${label(s, i)}`, s.Principal, PRINCIPAL_STAR_ALLOWED));
    }
  });

  const seen = new Set<string>();
  for (const s of statements) {
    if (s.Sid === undefined) continue;
    if (seen.has(s.Sid)) problems.push(describeProblem('key policy Sid', s.Sid, 'each Sid once'));
    seen.add(s.Sid);
  }

  const bytes = Buffer.byteLength(renderPolicy(doc), 'utf8');
  if (bytes > KEY_POLICY_MAX_BYTES) problems.push(describeProblem('key policy size', `${bytes} bytes`, KEY_POLICY_SIZE_ALLOWED));
  return problems;
}

function label(s: PolicyStatement, index?: number): string {
  return s.Sid !== undefined ? JSON.stringify(s.Sid) : `#${index ?? '?'}`;
}

function list(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

function hasAwsPrincipal(p: PolicyPrincipal | undefined): boolean {
  if (p === undefined || p === '*') return false;
  return list(p.AWS).some((a) => a !== '*');
}

function isEveryone(p: PolicyPrincipal | undefined): boolean {
  if (p === undefined) return false;
  return p === '*' || list(p.AWS).includes('*');
}

/** IAM action matching: `*` and `?` wildcards, case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

function grantsAction(s: PolicyStatement, action: string): boolean {
  if (s.Action !== undefined) return list(s.Action).some((p) => actionMatches(p, action));
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => actionMatches(p, action));
  return false;
}

function isScoped(s: PolicyStatement): boolean {
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    if (operator.includes('Not') || operator.endsWith('IfExists') || operator === 'Null' || operator.startsWith('ForAllValues:')) continue;
    if (Object.keys(keys).some((k) => PRINCIPAL_STAR_SCOPING_KEYS.some((sk) => sk.toLowerCase() === k.toLowerCase()))) return true;
  }
  return false;
}
