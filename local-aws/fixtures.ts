/**
 * Key policies the scenarios and tests seed: one Identity Center can use (AWS's baseline policy,
 * pinned to one instance), and variants that each break one requirement.
 */

export interface IdentityCenterPolicyContext {
  readonly accountId: string;
  readonly instanceArn: string;
  readonly identityStoreArn: string;
  /** Extra administrator account roots given kms:*. @default none */
  readonly adminAccounts?: readonly string[];
}

const SERVICES = ['identitystore.amazonaws.com', 'sso.amazonaws.com'];

/** AWS's baseline key policy for Identity Center, with the encryption context pinned to the instance. */
export function identityCenterKeyPolicy(ctx: IdentityCenterPolicyContext): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowIdentityCenterAdminAccounts',
        Effect: 'Allow',
        Principal: { AWS: [ctx.accountId, ...(ctx.adminAccounts ?? [])].map((a) => `arn:aws:iam::${a}:root`) },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'AllowIdentityCenterAndIdentityStoreToDescribeKey',
        Effect: 'Allow',
        Principal: { Service: SERVICES },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': '${aws:ResourceAccount}' } },
      },
      {
        Sid: 'AllowIdentityCenterToUseKey',
        Effect: 'Allow',
        Principal: { Service: 'sso.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:ReEncryptTo', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ctx.accountId, 'kms:EncryptionContext:aws:sso:instance-arn': ctx.instanceArn },
        },
      },
      {
        Sid: 'AllowIdentityStoreToUseKey',
        Effect: 'Allow',
        Principal: { Service: 'identitystore.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:ReEncryptTo', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': ctx.accountId, 'kms:EncryptionContext:aws:identitystore:identitystore-arn': ctx.identityStoreArn },
        },
      },
    ],
  });
}
