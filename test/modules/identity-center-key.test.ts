import 'cdktf/lib/testing/adapters/jest';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import { DataResource, TerraformStack, Testing } from 'cdktf';
import { IdentityCenterKey, type IdentityCenterKeyProps } from '../../modules';
import { unescapeTerraformTemplate } from '../../modules/private/terraform-escape';
import { renderPolicy } from '../../policy/render';

const BASE: IdentityCenterKeyProps = {
  account: '111122223333',
  region: 'us-east-1',
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  identityStoreId: 'd-1234567890',
};

interface Synthed {
  readonly json: string;
  readonly parsed: { resource: Record<string, Record<string, Record<string, unknown>>>; output: Record<string, { value: unknown }> };
  readonly construct: IdentityCenterKey;
}

function synth(props: Partial<IdentityCenterKeyProps> = {}): Synthed {
  const stack = new TerraformStack(Testing.app(), 'stack');
  const construct = new IdentityCenterKey(stack, 'idc', { ...BASE, ...props });
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json), construct };
}

function only<T>(record: Record<string, T>): T {
  const values = Object.values(record);
  expect(values).toHaveLength(1);
  return values[0];
}

describe('the key', () => {
  test('GIVEN defaults THEN a symmetric multi-Region key with rotation every 365 days, a 30-day window and destroy protection', () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(KmsKey, {
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      key_usage: 'ENCRYPT_DECRYPT',
      multi_region: true,
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 30,
      is_enabled: true,
      lifecycle: { prevent_destroy: true },
      description: 'IAM Identity Center customer managed key for arn:aws:sso:::instance/ssoins-1234567890abcdef',
    });
  });

  test('GIVEN explicit settings THEN they are passed through', () => {
    const { json } = synth({ multiRegion: false, rotationPeriodInDays: 90, deletionWindowInDays: 7, preventDestroy: false, tags: { team: 'iam' }, description: 'd' });
    expect(json).toHaveResourceWithProperties(KmsKey, {
      multi_region: false, rotation_period_in_days: 90, deletion_window_in_days: 7, lifecycle: { prevent_destroy: false }, tags: { team: 'iam' }, description: 'd',
    });
  });

  test('GIVEN rotation off THEN no rotation period is written', () => {
    const { parsed } = synth({ rotation: false });
    const key = only(parsed.resource.aws_kms_key);
    expect(key.enable_key_rotation).toBe(false);
    expect(key).not.toHaveProperty('rotation_period_in_days');
  });
});

describe('aliases and replicas', () => {
  test('GIVEN no aliases THEN alias/identity-center', () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(KmsAlias, { name: 'alias/identity-center', target_key_id: '${aws_kms_key.idc_key_D29BF051.key_id}' });
  });

  test('GIVEN names without the prefix THEN alias/ is added', () => {
    const { parsed } = synth({ aliases: ['idc/prod', 'alias/idc-main'] });
    expect(Object.values(parsed.resource.aws_kms_alias).map((a) => a.name).sort()).toEqual(['alias/idc-main', 'alias/idc/prod']);
  });

  test('GIVEN replica Regions THEN a replica key with the same policy and the same aliases in each, using the region argument', () => {
    const { parsed, construct, json } = synth({ replicaRegions: ['eu-west-1', 'ap-southeast-2'] });
    const key = only(parsed.resource.aws_kms_key);
    const replicas = Object.values(parsed.resource.aws_kms_replica_key);
    expect(replicas.map((r) => r.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1']);
    for (const r of replicas) {
      expect(r.policy).toBe(key.policy);
      expect(r.primary_key_arn).toBe('${aws_kms_key.idc_key_D29BF051.arn}');
      expect(r.lifecycle).toEqual({ prevent_destroy: true });
    }
    const aliases = Object.values(parsed.resource.aws_kms_alias);
    expect(aliases.filter((a) => a.region === 'eu-west-1').map((a) => a.name)).toEqual(['alias/identity-center']);
    expect(aliases.filter((a) => a.region === undefined)).toHaveLength(1);
    expect(construct.replicas.map((r) => r.region)).toEqual(['eu-west-1', 'ap-southeast-2']);
    expect(json).toHaveResourceWithProperties(KmsReplicaKey, { region: 'eu-west-1', deletion_window_in_days: 30, enabled: true });
  });
});

describe('the key policy string', () => {
  const withVariable: Partial<IdentityCenterKeyProps> = {
    extraStatements: [{
      Sid: 'SameAccountOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:DescribeKey', Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '${aws:ResourceAccount}', 'aws:PrincipalTag/team': '%{literal}' } },
    }],
  };

  test('GIVEN a policy variable THEN Terraform sees $${ and the unescaped string equals the rendered policy', () => {
    const { parsed, construct } = synth(withVariable);
    const policy = only(parsed.resource.aws_kms_key).policy as string;
    expect(policy).toContain('"aws:PrincipalAccount":"$${aws:ResourceAccount}"');
    expect(policy).toContain('%%{literal}');
    expect(policy).not.toMatch(/(^|[^$])\$\{/);
    expect(unescapeTerraformTemplate(policy)).toBe(renderPolicy(construct.renderedPolicy));
    expect(unescapeTerraformTemplate(policy)).toBe(construct.policyJson);
  });

  test('GIVEN a policy variable THEN the key_policy output is escaped the same way', () => {
    const { parsed } = synth(withVariable);
    const output = Object.entries(parsed.output).find(([k]) => k.includes('key_policy'));
    expect(output?.[1].value).toBe(only(parsed.resource.aws_kms_key).policy);
  });
});

describe('target record and outputs', () => {
  test('GIVEN a full instance THEN terraform_data records kind, schema, target and the instance', () => {
    const { json } = synth({ targetName: 'prod' });
    expect(json).toHaveResourceWithProperties(DataResource, {
      input: {
        kind: 'idc-cmk/target', schema_version: 1, target: 'prod', account: '111122223333', region: 'us-east-1', partition: 'aws',
        instance_arn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', identity_store_id: 'd-1234567890',
        identity_store_arn: 'arn:aws:identitystore::111122223333:identitystore/d-1234567890',
      },
    });
  });

  test('GIVEN no instance yet THEN undefined fields are omitted and the target defaults to the construct id', () => {
    const { parsed } = synth({ instanceArn: undefined, identityStoreId: undefined });
    expect(only(parsed.resource.terraform_data).input).toEqual({
      kind: 'idc-cmk/target', schema_version: 1, target: 'idc', account: '111122223333', region: 'us-east-1', partition: 'aws',
    });
  });

  test('outputs: key ARN and ID, alias ARNs, replica ARNs, key policy and the two cross-account IAM policies', () => {
    const { parsed } = synth({ replicaRegions: ['eu-west-1'] });
    const names = Object.keys(parsed.output).map((k) => k.replace(/^idc_/, '').replace(/_[0-9A-F]{8}$/, '')).sort();
    expect(names).toEqual(['alias_arns', 'application_admin_iam_policy', 'delegated_admin_iam_policy', 'key_arn', 'key_id', 'key_policy', 'replica_arns']);
    const delegated = Object.entries(parsed.output).find(([k]) => k.includes('delegated_admin'))?.[1].value as string;
    expect(JSON.parse(delegated).Statement[0].Resource).toBe('arn:aws:kms:*:111122223333:key/${aws_kms_key.idc_key_D29BF051.key_id}');
  });

  test('crossAccountPolicies() returns the documents with the key ID token', () => {
    const { construct } = synth();
    const docs = construct.crossAccountPolicies();
    expect(docs.delegatedAdministrator.Statement.map((s) => s.Sid)).toEqual(['AllowCrossAccountKMSKeyUse', 'AllowListKMSKeyAliases']);
    expect(docs.applicationAdministrators.Statement.map((s) => s.Sid)).toEqual(['AllowKMSKeyUseViaIdentityCenter', 'AllowKMSKeyUseViaIdentityStore']);
  });
});

test('snapshot of a full stack', () => {
  const { json } = synth({
    targetName: 'prod', replicaRegions: ['eu-west-1'], aliases: ['identity-center', 'idc/prod'], tags: { owner: 'platform' },
    organizationId: 'o-abcdefghij', managedApplications: true, organizationPrincipals: true, delegatedAdminAccounts: ['444455556666'],
    administrators: ['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_KeyAdmin_*'],
    auditors: ['arn:aws:iam::111122223333:role/Auditor'],
  });
  expect(json).toMatchSnapshot();
});
