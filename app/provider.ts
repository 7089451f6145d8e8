/**
 * The AWS provider of a target stack: the target's Region, `allowed_account_ids` pinned to the target
 * account (a stack can never apply to the wrong account), and the deploy role when configured.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { ResolvedTarget } from '../config/types';

/** Construct ID of the provider in every target stack. */
export const PROVIDER_ID = 'aws';

export function declareProvider(scope: Construct, target: ResolvedTarget): AwsProvider {
  return new AwsProvider(scope, PROVIDER_ID, {
    region: target.region,
    allowedAccountIds: [target.account],
    assumeRole: target.assumeRole
      ? [{ roleArn: target.assumeRole.roleArn, externalId: target.assumeRole.externalId, sessionName: target.assumeRole.sessionName }]
      : undefined,
  });
}
