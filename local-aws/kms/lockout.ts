/**
 * KMS's key policy lockout safety check: CreateKey and PutKeyPolicy refuse a policy under which the
 * caller could not call PutKeyPolicy again, unless BypassPolicyLockoutSafetyCheck is true. A tool that
 * writes such a policy fails here as it would on AWS (the deploy role missing from the administrators,
 * a Deny on everyone).
 */
import { evaluatePolicy } from '../../policy/evaluate';
import { parsePolicy } from '../../policy/parse';
import { AwsError } from '../errors';
import type { RequestContext } from '../handler';
import { roleArn } from '../state';

/** The IAM principal a request acts as: the role of an assumed-role session, else the caller itself. */
/** The caller as a key policy names it: an assumed role by its role ARN. */
export function principalArnOf(ctx: RequestContext): string {
  const c = ctx.caller;
  return c.kind === 'assumed-role' && c.roleName ? roleArn(ctx.accountId, c.roleName) : c.arn;
}

export function assertNoLockout(ctx: RequestContext, policyText: string, bypass: unknown, keyArn?: string): void {
  if (bypass === true) return;
  let doc;
  try {
    doc = parsePolicy(policyText, 'key policy');
  } catch {
    return; // Malformed policies are refused by their own checks.
  }
  const decision = evaluatePolicy(doc, {
    principal: { type: 'AWS', id: principalArnOf(ctx) },
    action: 'kms:PutKeyPolicy',
    ...(keyArn ? { resource: keyArn } : {}),
    context: {},
  });
  if (decision.decision !== 'allow') {
    throw new AwsError(
      'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.',
    );
  }
}
