/**
 * Checks a key policy the way KMS would refuse it or regret it: lockout (also through an unconditional
 * Deny), unscoped `Principal: "*"` (including conditions whose value is only a wildcard), an Allow with
 * `NotPrincipal`, malformed statements, duplicate Sids, size. Returns every problem.
 */
import { describeProblem } from '../../core/errors';
import { evaluatePolicy } from '../../policy/evaluate';
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
export const PRINCIPAL_STAR_ALLOWED = `Principal "*" only with a positive condition (no Not..., ...IfExists or ForAllValues:) on one of ${PRINCIPAL_STAR_SCOPING_KEYS.join(', ')}, whose every value pins an organization (o-...), an account (12 digits) or an ARN with its account`;
export const LOCKOUT_ALLOWED = `at least one Allow statement granting ${POLICY_ADMIN_ACTIONS.join(', ')} (or kms:*) to an AWS principal, not taken back by an unconditional Deny, so the key stays manageable (KMS's lockout safety check)`;
export const NOT_PRINCIPAL_ALLOWED = 'Principal in an Allow statement (an Allow with NotPrincipal grants every principal not listed)';
export const EFFECT_ALLOWED = '"Allow" or "Deny"';
export const STATEMENT_PARTS_ALLOWED = 'a statement with Principal (or NotPrincipal), Action (or NotAction) and Resource (or NotResource; "*" in a key policy)';
/**
 * What a value of each scoping key must pin, wildcards allowed only after it: an organization ID, an
 * organization path starting with one, an account ID, or an ARN naming its account. `o-*` or `arn:*`
 * match every organization or caller: they scope nothing.
 */
const SCOPING_VALUE: Readonly<Record<string, RegExp>> = {
  'aws:principalorgid': /^o-[a-z0-9]{10,32}$/,
  'aws:sourceorgid': /^o-[a-z0-9]{10,32}$/,
  'aws:principalorgpaths': /^o-[a-z0-9]{10,32}\//,
  'aws:sourceorgpaths': /^o-[a-z0-9]{10,32}\//,
  'aws:principalaccount': /^\d{12}$/,
  'aws:sourceaccount': /^\d{12}$/,
  'kms:calleraccount': /^\d{12}$/,
  'aws:sourcearn': /^arn:[a-z-]+:[a-z0-9*-]+:[a-z0-9*?-]*:\d{12}:/,
};
export const KEY_POLICY_SIZE_ALLOWED = `at most ${KEY_POLICY_MAX_BYTES} bytes`;
/**
 * KMS accepts printable ASCII and Latin-1 (U+0020 to U+00FF), tab, LF and CR in a key policy; anything
 * else fails CreateKey and PutKeyPolicy with MalformedPolicyDocumentException.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 */
const KEY_POLICY_FORBIDDEN_CHARACTERS = /[^\t\n\r\u0020-\u00ff]/gu;
export const KEY_POLICY_CHARACTERS_ALLOWED = 'printable ASCII and Latin-1 characters (U+0020 to U+00FF), tab, LF and CR (KMS refuses others)';

export interface KeyPolicyCheckOptions {
  /**
   * The principal that creates and manages the key (Terraform's deploy role). KMS refuses CreateKey and
   * PutKeyPolicy when the new policy would not let the caller call PutKeyPolicy again; this checks it by
   * evaluating the policy (Deny statements and conditions included). @default - not checked
   */
  readonly deployer?: string;
  /**
   * Where the caller's extra statements start in the document (they are appended last): problems of
   * those statements name them as `extraStatements[i]`, the prop the user wrote. @default - none
   */
  readonly extraStatementsFrom?: number;
}

export const DEPLOYER_ALLOWED = 'allowed to call kms:PutKeyPolicy under the policy, or KMS refuses CreateKey and PutKeyPolicy (its lockout safety check): Terraform manages the key as this principal';

export function validateKeyPolicy(doc: PolicyDocument, options: KeyPolicyCheckOptions = {}): readonly string[] {
  const problems: string[] = [];
  const statements = doc.Statement;
  if (options.deployer !== undefined && statements.every((s) => s.Effect === 'Allow' || s.Effect === 'Deny')) {
    const decision = evaluatePolicy(doc, { principal: { type: 'AWS', id: options.deployer }, action: 'kms:PutKeyPolicy', context: {} });
    if (decision.decision !== 'allow') {
      const why = decision.decision === 'explicit-deny' ? `explicitly denied by ${decision.matchedSids.map((sid) => JSON.stringify(sid)).join(', ') || 'a Deny statement'}` : 'not allowed by any statement';
      problems.push(describeProblem(`key policy for the deploy role ${options.deployer}`, why, DEPLOYER_ALLOWED));
    }
  }

  const administering = statements.filter(
    (s) => s.Effect === 'Allow' && hasAwsPrincipal(s.Principal) && POLICY_ADMIN_ACTIONS.every((a) => grantsAction(s, a)) && !takenBack(s, statements),
  );
  if (administering.length === 0) {
    const withAws = statements.flatMap((s, i) => (s.Effect === 'Allow' && hasAwsPrincipal(s.Principal) ? [s.Sid ?? `#${i}`] : []));
    problems.push(describeProblem('key policy administrators', withAws, LOCKOUT_ALLOWED));
  }

  const extra = options.extraStatementsFrom;
  const where = (s: PolicyStatement, i: number): string =>
    extra !== undefined && i >= extra ? `extraStatements[${i - extra}]${s.Sid !== undefined ? ` (${JSON.stringify(s.Sid)})` : ''}` : `key policy statement ${label(s, i)}`;
  statements.forEach((s, i) => {
    const field = where(s, i);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') problems.push(describeProblem(`${field} Effect`, s.Effect, EFFECT_ALLOWED));
    const parts = { Principal: s.Principal ?? s.NotPrincipal, Action: s.Action ?? s.NotAction, Resource: s.Resource ?? s.NotResource };
    const missing = Object.entries(parts).filter(([, v]) => v === undefined).map(([k]) => k);
    if (missing.length > 0) problems.push(describeProblem(field, `no ${missing.join(', no ')}`, STATEMENT_PARTS_ALLOWED));
    if (s.Effect === 'Allow' && s.NotPrincipal !== undefined) problems.push(describeProblem(`${field} NotPrincipal`, s.NotPrincipal, NOT_PRINCIPAL_ALLOWED));
    if (s.Effect === 'Allow' && isEveryone(s.Principal) && !isScoped(s)) {
      problems.push(describeProblem(field, s.Principal, PRINCIPAL_STAR_ALLOWED));
    }
  });

  const seen = new Set<string>();
  statements.forEach((s, i) => {
    if (s.Sid === undefined) return;
    const isExtra = extra !== undefined && i >= extra;
    if (seen.has(s.Sid)) {
      problems.push(isExtra
        ? describeProblem(`extraStatements[${i - extra}].Sid`, s.Sid, 'each Sid once (the key policy\'s own statements use theirs)')
        : describeProblem('key policy Sid', s.Sid, 'each Sid once'));
    }
    seen.add(s.Sid);
  });

  const rendered = renderPolicy(doc);
  const bytes = Buffer.byteLength(rendered, 'utf8');
  if (bytes > KEY_POLICY_MAX_BYTES) problems.push(describeProblem('key policy size', `${bytes} bytes`, KEY_POLICY_SIZE_ALLOWED));
  const foreign = [...new Set(rendered.match(KEY_POLICY_FORBIDDEN_CHARACTERS) ?? [])];
  if (foreign.length > 0) problems.push(describeProblem('key policy characters', foreign.join(''), KEY_POLICY_CHARACTERS_ALLOWED));
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

/** A positive condition on a scoping key whose values are real (not empty, not wildcards only). */
function isScoped(s: PolicyStatement): boolean {
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    if (operator.includes('Not') || operator.endsWith('IfExists') || operator === 'Null' || operator.startsWith('ForAllValues:')) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (!PRINCIPAL_STAR_SCOPING_KEYS.some((sk) => sk.toLowerCase() === key.toLowerCase())) continue;
      const all = (Array.isArray(values) ? values : [values]) as readonly unknown[];
      const pins = SCOPING_VALUE[key.toLowerCase()];
      if (pins && all.length > 0 && all.every((v) => typeof v === 'string' && pins.test(v))) return true;
    }
  }
  return false;
}

/**
 * Whether an unconditional Deny takes an administering Allow back: a Deny for everyone (or for one of
 * the Allow's principals) that covers an administrative action on every resource.
 */
function takenBack(allow: PolicyStatement, statements: readonly PolicyStatement[]): boolean {
  const principals = list(allow.Principal === '*' || allow.Principal === undefined ? undefined : allow.Principal.AWS);
  return statements.some(
    (d) =>
      d.Effect === 'Deny' &&
      Object.keys(d.Condition ?? {}).length === 0 &&
      d.NotResource === undefined &&
      (isEveryone(d.Principal) || list(d.Principal === '*' || d.Principal === undefined ? undefined : d.Principal.AWS).some((p) => principals.includes(p))) &&
      POLICY_ADMIN_ACTIONS.some((a) => grantsAction(d, a)),
  );
}
