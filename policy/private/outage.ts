/**
 * Which Identity Center probes the expected policy allows and the actual one does not, with the
 * statements responsible: the expected Allows that granted them and the actual Denies that now block them.
 */
import type { PolicyDocument } from '../types';
import { evaluatePolicyDetailed } from '../evaluate';
import { identityCenterProbes, type AccessProbe, type IdentityCenterContext } from '../identity-center';
import { inferPartition } from '../canonical';
import { ACCOUNT_ID_PATTERN, ROOT_ARN_PATTERN, toList } from './values';

export interface LostAccess {
  readonly probes: AccessProbe[];
  readonly expectedAllowIndexes: Set<number>;
  readonly actualDenyIndexes: Set<number>;
}

/** Stands in for an account the expected policy does not name: both policies are probed alike. */
const UNKNOWN_ACCOUNT = '000000000000';

export function findLostAccess(expected: PolicyDocument, actual: PolicyDocument, ctx?: IdentityCenterContext): LostAccess {
  const context = ctx ?? inferIdentityCenterContext(expected);
  const out: LostAccess = { probes: [], expectedAllowIndexes: new Set(), actualDenyIndexes: new Set() };
  for (const probe of identityCenterProbes(context)) {
    const before = evaluatePolicyDetailed(expected, probe.request);
    if (before.decision !== 'allow') continue;
    const after = evaluatePolicyDetailed(actual, probe.request);
    if (after.decision === 'allow') continue;
    out.probes.push(probe);
    before.matchedIndexes.forEach((i) => out.expectedAllowIndexes.add(i));
    if (after.decision === 'explicit-deny') after.matchedIndexes.forEach((i) => out.actualDenyIndexes.add(i));
  }
  return out;
}

const INSTANCE_CONTEXT_KEY = 'kms:encryptioncontext:aws:sso:instance-arn';
const STORE_CONTEXT_KEY = 'kms:encryptioncontext:aws:identitystore:identitystore-arn';
const SOURCE_ACCOUNT_KEY = 'aws:sourceaccount';

/**
 * The Identity Center context a policy was written for: its account (an `aws:SourceAccount` value or the
 * first account-root principal), and the instance and Identity Store ARNs it pins (values without wildcards).
 */
export function inferIdentityCenterContext(doc: PolicyDocument): IdentityCenterContext {
  let account: string | undefined;
  let instanceArn: string | undefined;
  let identityStoreArn: string | undefined;
  for (const s of doc.Statement) {
    for (const keys of Object.values(s.Condition ?? {})) {
      for (const [key, values] of Object.entries(keys)) {
        const literal = toList(values).map(String).find((v) => !/[*?$]/.test(v));
        if (literal === undefined) continue;
        const k = key.toLowerCase();
        if (k === SOURCE_ACCOUNT_KEY && ACCOUNT_ID_PATTERN.test(literal)) account ??= literal;
        if (k === INSTANCE_CONTEXT_KEY) instanceArn ??= literal;
        if (k === STORE_CONTEXT_KEY) identityStoreArn ??= literal;
      }
    }
  }
  if (!account) {
    for (const s of doc.Statement) {
      const aws = s.Principal && s.Principal !== '*' ? toList(s.Principal.AWS) : [];
      for (const v of aws) {
        const m = ROOT_ARN_PATTERN.exec(v);
        account ??= m ? m[2] : ACCOUNT_ID_PATTERN.test(v) ? v : undefined;
      }
    }
  }
  return {
    account: account ?? UNKNOWN_ACCOUNT,
    partition: inferPartition(doc),
    ...(instanceArn ? { instanceArn } : {}),
    ...(identityStoreArn ? { identityStoreArn } : {}),
  };
}
