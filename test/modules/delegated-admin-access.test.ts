import 'cdktf/lib/testing/adapters/jest';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { isIdcCmkError } from '../../core/errors';
import { DelegatedAdminAccess, type DelegatedAdminAccessProps } from '../../modules/delegated-admin-access';

const MGMT = '111122223333';
const DELEGATED = '444455556666';
const KEY_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const STORE_ID = 'd-1234567890';

type Synth = { resource: Record<string, Record<string, Record<string, unknown>>> };

interface Built {
  json: string;
  parsed: Synth;
  policyDoc: { Statement: { Sid: string; Action: string | string[]; Resource: string; Condition?: Record<string, Record<string, unknown>> }[] };
}

function build(props: Partial<DelegatedAdminAccessProps> = {}, opts: { alias?: string; allowed?: string[]; tokenKey?: boolean } = {}): Built {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1', allowedAccountIds: [MGMT] });
  const delegated = new AwsProvider(stack, 'aws-delegated', {
    region: 'eu-west-1',
    alias: 'alias' in opts ? opts.alias : 'delegated_admin',
    allowedAccountIds: 'allowed' in opts ? opts.allowed : [DELEGATED],
    assumeRole: [{ roleArn: `arn:aws:iam::${DELEGATED}:role/idc-cmk-deploy` }],
  });
  const key = opts.tokenKey ? new KmsKey(stack, 'key', { multiRegion: true }).keyId : KEY_ID;
  new DelegatedAdminAccess(stack, 'delegated-admin', {
    provider: delegated,
    delegatedAdminAccount: DELEGATED,
    managementAccount: MGMT,
    key,
    instanceArn: INSTANCE,
    identityStoreId: STORE_ID,
    ...props,
  });
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json) as Synth;
  const policy = Object.values(parsed.resource.aws_iam_policy)[0];
  return { json, parsed, policyDoc: JSON.parse(policy.policy as string) };
}

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (isIdcCmkError(e)) return e.details;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('DelegatedAdminAccess', () => {
  test('the policy and attachments are created through the delegated-admin provider alias', () => {
    const { json, parsed } = build({ roleNames: ['IdentityCenterAdmins', 'BreakGlass'] });
    expect(json).toHaveResourceWithProperties(IamPolicy, { provider: 'aws.delegated_admin', name: 'IdentityCenterKeyAccess-ssoins-1234567890abcdef', path: '/' });
    const attachments = Object.values(parsed.resource.aws_iam_role_policy_attachment);
    expect(attachments.map((a) => a.role).sort()).toEqual(['BreakGlass', 'IdentityCenterAdmins']);
    for (const a of attachments) {
      expect(a.provider).toBe('aws.delegated_admin');
      expect(a.policy_arn).toMatch(/^\$\{aws_iam_policy\.[^.]+\.arn\}$/);
    }
  });

  test('no attachments without role names', () => {
    const { json } = build();
    expect(json).not.toHaveResource(IamRolePolicyAttachment);
  });

  test('pinned to the instance: via-service use with the encryption context, DescribeKey on the key, ListAliases on *', () => {
    const { policyDoc } = build();
    const keyArn = `arn:aws:kms:*:${MGMT}:key/${KEY_ID}`;
    expect(policyDoc.Statement).toEqual([
      {
        Sid: 'UseIdentityCenterKeyViaIdentityCenter',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext'],
        Resource: keyArn,
        Condition: {
          StringLike: { 'kms:ViaService': 'sso.*.amazonaws.com' },
          StringEquals: { 'kms:EncryptionContext:aws:sso:instance-arn': INSTANCE },
        },
      },
      {
        Sid: 'UseIdentityCenterKeyViaIdentityStore',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKeyWithoutPlaintext'],
        Resource: keyArn,
        Condition: {
          StringLike: { 'kms:ViaService': 'identitystore.*.amazonaws.com' },
          StringEquals: { 'kms:EncryptionContext:aws:identitystore:identitystore-arn': `arn:aws:identitystore::${MGMT}:identitystore/${STORE_ID}` },
        },
      },
      { Sid: 'DescribeIdentityCenterKey', Effect: 'Allow', Action: 'kms:DescribeKey', Resource: keyArn },
      { Sid: 'ListKmsAliases', Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' },
    ]);
    const actions = policyDoc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    // The only `*` resource is ListAliases, which has no resource-level permissions.
    expect(policyDoc.Statement.filter((s) => s.Resource === '*').map((s) => s.Action)).toEqual(['kms:ListAliases']);
  });

  test('a key ARN is reduced to its ID, so the * Region covers every replica', () => {
    const { policyDoc } = build({ key: `arn:aws:kms:eu-west-1:${MGMT}:key/${KEY_ID}` });
    expect(policyDoc.Statement[0].Resource).toBe(`arn:aws:kms:*:${MGMT}:key/${KEY_ID}`);
  });

  test('a token key ID stays a Terraform reference', () => {
    const { policyDoc } = build({}, { tokenKey: true });
    expect(policyDoc.Statement[0].Resource).toBe(`arn:aws:kms:*:${MGMT}:key/\${aws_kms_key.key.key_id}`);
  });

  test('other partitions', () => {
    const { policyDoc } = build({ partition: 'aws-cn', instanceArn: 'arn:aws-cn:sso:::instance/ssoins-1234567890abcdef' });
    expect(policyDoc.Statement[0].Resource).toBe(`arn:aws-cn:kms:*:${MGMT}:key/${KEY_ID}`);
    expect(policyDoc.Statement[0].Condition?.StringLike).toEqual({ 'kms:ViaService': 'sso.*.amazonaws.com.cn' });
  });
});

describe('DelegatedAdminAccess validation', () => {
  test('accounts, key, instance, identity store, role names, policy name and path', () => {
    expect(
      problemsOf(() =>
        build({
          managementAccount: '12345',
          key: 'alias/identity-center',
          instanceArn: 'arn:aws:sso:::instance/ssoins-XYZ',
          identityStoreId: 'd-12',
          roleNames: ['arn:aws:iam::444455556666:role/Admins', 'Admins', 'Admins'],
          policyName: 'has space',
          policyPath: 'no-slash',
        }),
      ),
    ).toEqual([
      'managementAccount: got "12345"; allowed: a 12-digit AWS account ID',
      'key: got "alias/identity-center"; allowed: a KMS key ID (a UUID or "mrk-" followed by 32 lowercase hex characters) or a key ARN "arn:aws:kms:<region>:12345:key/<key ID>"',
      'instanceArn: got "arn:aws:sso:::instance/ssoins-XYZ"; allowed: an instance ARN "arn:aws:sso:::instance/ssoins-" followed by 16 lowercase hex characters',
      'identityStoreId: got "d-12"; allowed: an identity store ID "d-" followed by 10 lowercase hex characters',
      'roleNames[0]: got "arn:aws:iam::444455556666:role/Admins"; allowed: an IAM role name (not an ARN or path): 1 to 64 letters, digits or "+=,.@_-"',
      'roleNames[2]: got "Admins"; allowed: each role name once',
      'policyName: got "has space"; allowed: 1 to 128 letters, digits or "+=,.@_-"',
      'policyPath: got "no-slash"; allowed: an IAM path that starts and ends with "/", at most 512 characters',
    ]);
  });

  test('a key ARN in another account is refused', () => {
    const arn = `arn:aws:kms:eu-west-1:${DELEGATED}:key/${KEY_ID}`;
    expect(problemsOf(() => build({ key: arn }))).toEqual([
      `key: got "${arn}"; allowed: a KMS key ID (a UUID or "mrk-" followed by 32 lowercase hex characters) or a key ARN "arn:aws:kms:<region>:${MGMT}:key/<key ID>"`,
    ]);
  });

  test('the delegated-admin account must differ from the management account', () => {
    expect(problemsOf(() => build({ delegatedAdminAccount: MGMT }, { allowed: [MGMT] }))).toEqual([
      `delegatedAdminAccount: got "${MGMT}"; allowed: an account other than managementAccount (the management account's own principals are covered by the key policy)`,
    ]);
  });

  test('the provider must be an alias pinned to the delegated-admin account', () => {
    expect(problemsOf(() => build({}, { alias: undefined }))).toEqual([
      'provider.alias: got nothing; allowed: an alias: the stack\'s default provider is the management account, and the policy belongs in the delegated-admin account',
    ]);
    expect(problemsOf(() => build({}, { allowed: undefined }))).toEqual([
      `provider.allowedAccountIds: got nothing; allowed: exactly ["${DELEGATED}"] (the delegated-admin account), so this provider can never apply elsewhere`,
    ]);
    expect(problemsOf(() => build({}, { allowed: [MGMT, DELEGATED] }))).toEqual([
      `provider.allowedAccountIds: got ["${MGMT}","${DELEGATED}"]; allowed: exactly ["${DELEGATED}"] (the delegated-admin account), so this provider can never apply elsewhere`,
    ]);
  });
});
