import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildApp } from '../../app/build-app';
import { localStatePath } from '../../app/backend';
import { stackIdForTarget } from '../../app/target-stack';
import { administratorsWithDeployRole } from '../../app/key-props';
import { loadRolloutConfig, parseRolloutConfig } from '../../config/load';
import { type IdcCmkError, isIdcCmkError } from '../../core/errors';
import { evaluatePolicy } from '../../policy/evaluate';
import type { PolicyDocument } from '../../policy/types';
import { ACME, GLOBEX, rollout } from '../config/fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Builds the app into a temporary outdir, synthesizes, and returns each stack's cdk.tf.json. */
function synthAll(yaml: string): Record<string, Json> {
  const outdir = mkdtempSync(join(tmpdir(), 'idc-cmk-app-'));
  const app = Testing.app({ outdir });
  buildApp(parseRolloutConfig(yaml, 'test.yaml'), { app, projectDir: outdir }).app.synth();
  const stacksDir = join(outdir, 'stacks');
  return Object.fromEntries(readdirSync(stacksDir).map((id) => [id, JSON.parse(readFileSync(join(stacksDir, id, 'cdk.tf.json'), 'utf8')) as Json]));
}

const deployRole = { assumeRole: { roleArn: 'arn:{partition}:iam::{account}:role/idc-cmk-deploy', externalId: 'fleet-ext-id' } };

describe('buildApp', () => {
  test('one stack per target, its ID the target name', () => {
    const { stacks } = buildApp(parseRolloutConfig(rollout([ACME, GLOBEX]), 'test.yaml'), { app: Testing.app() });
    expect(stacks.map((s) => s.node.id)).toEqual(['acme-prod', 'globex-prod']);
    expect(stackIdForTarget('acme-prod')).toBe('acme-prod');
  });

  test('each provider is pinned to its account and Region and assumes the configured role', () => {
    const stacks = synthAll(rollout([ACME, GLOBEX], deployRole));
    expect(Object.keys(stacks).sort()).toEqual(['acme-prod', 'globex-prod']);
    expect(stacks['acme-prod']!.provider.aws).toEqual([
      {
        region: 'us-east-1',
        allowed_account_ids: ['111111111111'],
        assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/idc-cmk-deploy', external_id: 'fleet-ext-id', session_name: 'idc-cmk-acme-prod' }],
      },
    ]);
    expect(stacks['globex-prod']!.provider.aws[0]).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['222222222222'] });
  });

  test('without a deploy role the provider uses the ambient credentials (no assume_role)', () => {
    const { stacks } = buildApp(parseRolloutConfig(rollout([ACME]), 'test.yaml'), { app: Testing.app() });
    const synthesized = JSON.parse(Testing.synth(stacks[0]!)) as Json;
    expect(synthesized.provider.aws).toEqual([{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }]);
  });

  test('the key is declared from the target settings', () => {
    const { stacks } = buildApp(
      parseRolloutConfig(rollout([{ ...ACME, replicaRegions: ['us-west-2'], tags: { Owner: 'acme' }, aliases: ['alias/acme-idc'] }], { rotationPeriodInDays: 180 }), 'test.yaml'),
      { app: Testing.app() },
    );
    const synthesized = Testing.synth(stacks[0]!);
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: 'aws_kms_key' }, {
      rotation_period_in_days: 180,
      multi_region: true,
      tags: { Owner: 'acme' },
    });
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: 'aws_kms_alias' }, { name: 'alias/acme-idc' });
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: 'aws_kms_replica_key' }, { region: 'us-west-2' });
    expect(synthesized).toHaveResourceWithProperties({ tfResourceType: 'terraform_data' }, {
      input: expect.objectContaining({ target: 'acme-prod', account: '111111111111', instance_arn: ACME.instanceArn }),
    });
  });

  test('local backend by default: terraform.<stack>.tfstate in the project directory, written relative', () => {
    const stacks = synthAll(rollout([ACME, { ...GLOBEX, backend: { local: { directory: 'state' } } }]));
    expect(stacks['acme-prod']!.terraform.backend).toEqual({ local: { path: '../../terraform.acme-prod.tfstate' } });
    expect(stacks['globex-prod']!.terraform.backend).toEqual({ local: { path: '../../state/terraform.globex-prod.tfstate' } });
    expect(localStatePath('acme-prod', 'terraform.acme-prod.tfstate', { outdir: 'cdktf.out', projectDir: '/anywhere' })).toBe(
      '../../../terraform.acme-prod.tfstate',
    );
  });

  test('S3 backend: one key per target, native locking by default, state role', () => {
    const stacks = synthAll(
      rollout([ACME, GLOBEX], { backend: { s3: { bucket: 'org-tf-state', keyPrefix: 'idc-cmk/prod', region: 'us-east-1', roleArn: 'arn:aws:iam::{account}:role/tf-state' } } }),
    );
    expect(stacks['acme-prod']!.terraform.backend).toEqual({
      s3: {
        bucket: 'org-tf-state',
        key: 'idc-cmk/prod/acme-prod.tfstate',
        region: 'us-east-1',
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: 'arn:aws:iam::111111111111:role/tf-state' },
      },
    });
    expect(stacks['globex-prod']!.terraform.backend.s3.key).toBe('idc-cmk/prod/globex-prod.tfstate');
  });

  test('S3 backend with a DynamoDB lock table', () => {
    const stacks = synthAll(rollout([ACME], { backend: { s3: { bucket: 'org-tf-state', dynamodbTable: 'tf-locks' } } }));
    expect(stacks['acme-prod']!.terraform.backend).toEqual({
      s3: { bucket: 'org-tf-state', key: 'idc-cmk/acme-prod.tfstate', region: 'us-east-1', encrypt: true, dynamodb_table: 'tf-locks' },
    });
  });

  test('cloud backend: a named workspace per target, or tagged workspaces', () => {
    const named = synthAll(rollout([ACME, GLOBEX], { backend: { cloud: { organization: 'acme-corp', workspacePrefix: 'idc-cmk-', project: 'identity' } } }));
    expect(named['acme-prod']!.terraform.cloud).toEqual({ organization: 'acme-corp', workspaces: { name: 'idc-cmk-acme-prod', project: 'identity' } });
    expect(named['globex-prod']!.terraform.cloud.workspaces.name).toBe('idc-cmk-globex-prod');
    expect(named['acme-prod']!.terraform.backend).toBeUndefined();

    const tagged = synthAll(rollout([ACME], { backend: { cloud: { organization: 'acme-corp', tags: ['idc-cmk'], hostname: 'tfe.example.com' } } }));
    expect(tagged['acme-prod']!.terraform.cloud).toEqual({ organization: 'acme-corp', hostname: 'tfe.example.com', workspaces: { tags: ['idc-cmk', 'acme-prod'] } });
  });

  test('the instance is switched to the key after the key and aliases exist; the key becomes create_before_destroy', () => {
    const { stacks } = buildApp(
      parseRolloutConfig(rollout([ACME], { ...deployRole, encryption: { revertOnDestroy: true, timeoutSeconds: 120 } }), 'test.yaml'),
      { app: Testing.app() },
    );
    const stack = stacks[0]!;
    expect(stack.encryption.enabled).toBe(true);
    const synthesized = JSON.parse(Testing.synth(stack)) as Json;
    const records = Object.values(synthesized.resource.terraform_data as Record<string, Json>).filter((r) => r.input.kind === 'idc-cmk/instance-encryption');
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record.input).toMatchObject({ instance_arn: ACME.instanceArn, region: 'us-east-1', key_type: 'CUSTOMER_MANAGED_KEY' });
    expect(record.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_kms_key\./), expect.stringMatching(/^aws_kms_alias\./)]));
    expect(record.provisioner).toHaveLength(2); // apply, and revert on destroy (opted in)
    expect(JSON.stringify(record.provisioner)).toContain('arn:aws:iam::111111111111:role/idc-cmk-deploy');
    // The deploy role's external ID reaches the switch too: without it AssumeRole fails after the key exists.
    for (const p of record.provisioner as Json[]) expect(p['local-exec'].command).toContain('--external-id fleet-ext-id');
    const key = Object.values(synthesized.resource.aws_kms_key as Record<string, Json>)[0]!;
    expect(key.lifecycle).toEqual({ create_before_destroy: true, prevent_destroy: true });
  });

  test('switch: false leaves the instance alone (no record) and the key lifecycle unchanged', () => {
    const { stacks } = buildApp(parseRolloutConfig(rollout([ACME], { encryption: { switch: false } }), 'test.yaml'), { app: Testing.app() });
    const synthesized = JSON.parse(Testing.synth(stacks[0]!)) as Json;
    const kinds = Object.values(synthesized.resource.terraform_data as Record<string, Json>).map((r) => r.input.kind);
    expect(kinds).toEqual(['idc-cmk/target']);
    expect(Object.values(synthesized.resource.aws_kms_key as Record<string, Json>)[0]!.lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe('the deploy role administers the key', () => {
  const narrowed = ['arn:{partition}:iam::{account}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_KeyAdmin_*'];
  const policyOf = (yaml: string): PolicyDocument => {
    const { stacks } = buildApp(parseRolloutConfig(yaml, 'test.yaml'), { app: Testing.app() });
    return stacks[0]!.key.renderedPolicy;
  };
  const canAdminister = (doc: PolicyDocument, principal: string): boolean =>
    ['kms:PutKeyPolicy', 'kms:CreateAlias', 'kms:EnableKeyRotation', 'kms:TagResource'].every(
      (action) => evaluatePolicy(doc, { principal: { type: 'AWS', id: principal }, action, context: {} }).decision === 'allow',
    );

  test('narrowed administrators get the deploy role added (KMS refuses a policy its caller could not change)', () => {
    const doc = policyOf(rollout([ACME], { administrators: narrowed, ...deployRole }));
    expect(canAdminister(doc, 'arn:aws:iam::111111111111:role/idc-cmk-deploy')).toBe(true);
    expect(canAdminister(doc, 'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_KeyAdmin_1a2b')).toBe(true);
    expect(canAdminister(doc, 'arn:aws:iam::111111111111:role/someone-else')).toBe(false);
  });

  test('the example rollout file: every target\'s deploy role can manage its key', () => {
    const config = loadRolloutConfig(join(__dirname, '../../idc-cmk.yaml'));
    const { stacks } = buildApp(config, { app: Testing.app() });
    stacks.forEach((stack, i) => expect(canAdminister(stack.key.renderedPolicy, config.targets[i]!.assumeRole!.roleArn)).toBe(true));
  });

  test('the example rollout file: its KeyAdmin permission-set role administers the key, with or without a Region in the role path', () => {
    const config = loadRolloutConfig(join(__dirname, '../../idc-cmk.yaml'));
    const { stacks } = buildApp(config, { app: Testing.app() });
    stacks.forEach((stack, i) => {
      const { account, region } = config.targets[i]!;
      for (const path of ['aws-reserved/sso.amazonaws.com/', `aws-reserved/sso.amazonaws.com/${region}/`]) {
        expect(canAdminister(stack.key.renderedPolicy, `arn:aws:iam::${account}:role/${path}AWSReservedSSO_KeyAdmin_0123456789abcdef`)).toBe(true);
      }
    });
  });

  test.each([
    ['a pattern that already covers it', ['arn:aws:iam::111111111111:role/idc-*'], ['arn:aws:iam::111111111111:role/idc-*']],
    ['the account root', ['arn:aws:iam::111111111111:root'], ['arn:aws:iam::111111111111:root']],
    ['unset (the account root, IAM decides)', undefined, undefined],
    ['an empty list (no KeyAdministration statement, by choice)', [], []],
  ])('left as they are: %s', (_name, administrators, expected) => {
    expect(administratorsWithDeployRole(administrators, 'arn:aws:iam::111111111111:role/idc-cmk-deploy')).toEqual(expected);
  });

  test('no deploy role (ambient credentials): nothing to add', () => {
    expect(administratorsWithDeployRole(['arn:aws:iam::111111111111:role/a'], undefined)).toEqual(['arn:aws:iam::111111111111:role/a']);
  });
});

describe('a rollout file holds text, never references', () => {
  test('a string cdktf would read as a token is refused, named by its rollout field, instead of becoming a Terraform expression', () => {
    const token = '${TfToken[TOKEN.7]}';
    let caught: unknown;
    try {
      buildApp(parseRolloutConfig(rollout([{ ...ACME, description: `x ${token} y` }]), 'test.yaml'), { app: Testing.app() });
    } catch (e) {
      caught = e;
    }
    expect(isIdcCmkError(caught)).toBe(true);
    expect((caught as IdcCmkError).details).toEqual([
      `targets[0] (acme-prod): description: got "x ${token} y"; allowed: plain text (cdktf would read this value as a reference to another resource)`,
    ]);
  });
});

describe('problems of several targets', () => {
  test('every target is built; every problem is listed once, named after its target', () => {
    const yaml = rollout([
      { ...ACME, administrators: [] },
      { ...GLOBEX, extraStatements: [{ Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:Decrypt', Resource: '*' }] },
      { ...ACME, name: 'fine', account: '333333333333', instanceArn: 'arn:aws:sso:::instance/ssoins-3333333333333333', identityStoreId: 'd-3333333333' },
    ]);
    let caught: unknown;
    try {
      buildApp(parseRolloutConfig(yaml, 'test.yaml'), { app: Testing.app() });
    } catch (e) {
      caught = e;
    }
    expect(isIdcCmkError(caught)).toBe(true);
    const err = caught as IdcCmkError;
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe('2 of 3 targets cannot be synthesized: 2 problems');
    expect(err.details).toEqual([
      expect.stringMatching(/^targets\[0\] \(acme-prod\): key policy administrators: got \[.*\]; allowed: at least one Allow statement/),
      'targets[1] (globex-prod): extraStatements[0].Sid: got "KeyAdministration"; allowed: each Sid once (the key policy\'s own statements use theirs)',
    ]);
  });
});

test('a problem of an extra statement names it by its place in extraStatements, the field the user wrote', () => {
  const open = { Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' };
  let caught: unknown;
  try {
    buildApp(parseRolloutConfig(rollout([{ ...ACME, extraStatements: [open] }]), 'test.yaml'), { app: Testing.app() });
  } catch (e) {
    caught = e;
  }
  expect((caught as IdcCmkError).details).toEqual([expect.stringMatching(/^targets\[0\] \(acme-prod\): extraStatements\[0\] \("Open"\): got "\*"; allowed: /)]);
});

describe('text reaches AWS literally', () => {
  test('${ and %{ in the description are escaped for Terraform, on the key and its replicas', () => {
    const stacks = synthAll(rollout([{ ...ACME, description: 'key ${var.x} %{if true}y%{endif}', replicaRegions: ['us-west-2'] }]));
    const resources = stacks['acme-prod']!.resource;
    expect(Object.values(resources.aws_kms_key as Record<string, Json>)[0]!.description).toBe('key $${var.x} %%{if true}y%%{endif}');
    expect(Object.values(resources.aws_kms_replica_key as Record<string, Json>)[0]!.description).toBe('key $${var.x} %%{if true}y%%{endif}');
  });

  test('library: tags are escaped too; a cdktf token stays a reference; a token in extraStatements is refused', () => {
    const { IdentityCenterKey } = require('../../modules/identity-center-key') as typeof import('../../modules/identity-center-key');
    const { TerraformVariable } = require('cdktf') as typeof import('cdktf');
    const props = { account: ACME.account, region: ACME.region, instanceArn: ACME.instanceArn, identityStoreId: ACME.identityStoreId };
    const synthesized = JSON.parse(Testing.synthScope((scope) => {
      const owner = new TerraformVariable(scope, 'owner', { type: 'string' });
      new IdentityCenterKey(scope, 'k', { ...props, tags: { Note: '${aws:username}', Owner: owner.stringValue } });
    })) as Json;
    expect(Object.values(synthesized.resource.aws_kms_key as Record<string, Json>)[0]!.tags).toEqual({ Note: '$${aws:username}', Owner: '${var.owner}' });

    let caught: unknown;
    try {
      Testing.synthScope((scope) => {
        const role = new TerraformVariable(scope, 'role', { type: 'string' });
        new IdentityCenterKey(scope, 'k', { ...props, extraStatements: [{ Sid: 'FromVar', Effect: 'Allow', Principal: { AWS: role.stringValue }, Action: 'kms:Decrypt', Resource: '*' }] });
      });
    } catch (e) {
      caught = e;
    }
    expect((caught as IdcCmkError).details).toEqual([
      'extraStatements[0]: got "FromVar"; allowed: literal values only: a statement holding a cdktf token (a reference known only at apply) cannot be validated or rendered at synth',
    ]);
  });
});

describe('encryption mode native', () => {
  test('needs providerVersion: the prebuilt 6.25.0 has no aws_ssoadmin_instance encryption_configuration', () => {
    let caught: unknown;
    try {
      parseRolloutConfig(rollout([ACME], { encryption: { mode: 'native' } }), 'test.yaml');
    } catch (e) {
      caught = e;
    }
    expect((caught as IdcCmkError).details).toEqual([expect.stringMatching(/^targets\[0\]\.encryption\.providerVersion: got nothing; allowed: a hashicorp\/aws version constraint/)]);
  });

  test('providerVersion is written to required_providers; the native resource is declared', () => {
    const stacks = synthAll(rollout([ACME], { encryption: { mode: 'native', providerVersion: '>= 6.30.0' } }));
    const stack = stacks['acme-prod']!;
    expect(stack.terraform.required_providers.aws).toMatchObject({ source: 'aws', version: '>= 6.30.0' });
    expect(Object.keys(stack.resource)).toContain('aws_ssoadmin_instance');
  });

  test.each([
    ['native', '6.25.0', false], ['native', '< 6.30.0', false], ['native', '>= 6.25.0', false], ['native', '> 6.25.0', true], ['native', '>= 6.30.0, < 7.0.0', true], ['native', '~> 6.30', true],
    ['cli', '~> 5.0', false], ['cli', '~> 6.25', true], ['cli', '>= 6.0.0', true],
  ] as const)('mode %s: providerVersion %j accepted: %p', (mode, providerVersion, accepted) => {
    const parse = () => parseRolloutConfig(rollout([ACME], { encryption: { mode, providerVersion } }), 'test.yaml');
    if (accepted) expect(parse).not.toThrow();
    else expect(parse).toThrow(expect.objectContaining({ details: [expect.stringMatching(new RegExp(`encryption\\.providerVersion.*: got ${JSON.stringify(providerVersion).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; allowed: a constraint that excludes`))] }));
  });

  test('a malformed constraint names the field', () => {
    expect(() => parseRolloutConfig(rollout([ACME], { encryption: { mode: 'native', providerVersion: 'latest' } }), 'test.yaml')).toThrow(
      expect.objectContaining({ details: [expect.stringContaining('encryption.providerVersion: got "latest"; allowed: a Terraform version constraint such as ">= 6.30.0"')] }),
    );
  });
});

test('{account} and {partition} are replaced inside extraStatements from defaults, per target', () => {
  const st = { Sid: 'BreakGlass', Effect: 'Allow', Principal: { AWS: 'arn:{partition}:iam::{account}:role/BreakGlass' }, Action: 'kms:Decrypt', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:{partition}:iam::{account}:role/BreakGlass' } } };
  const config = parseRolloutConfig(rollout([ACME, GLOBEX], { extraStatements: [st] }), 'test.yaml');
  expect(config.targets.map((t) => t.key.extraStatements[0])).toEqual([
    { ...st, Principal: { AWS: 'arn:aws:iam::111111111111:role/BreakGlass' }, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/BreakGlass' } } },
    { ...st, Principal: { AWS: 'arn:aws:iam::222222222222:role/BreakGlass' }, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/BreakGlass' } } },
  ]);
});

test('library: identity props given as cdktf tokens are refused as such, not with the token text as a value', () => {
  const { IdentityCenterKey } = require('../../modules/identity-center-key') as typeof import('../../modules/identity-center-key');
  const { TerraformVariable } = require('cdktf') as typeof import('cdktf');
  let caught: unknown;
  try {
    Testing.synthScope((scope) => {
      const account = new TerraformVariable(scope, 'account', { type: 'string' });
      const days = new TerraformVariable(scope, 'days', { type: 'number' });
      new IdentityCenterKey(scope, 'k', { account: account.stringValue, region: ACME.region, instanceArn: ACME.instanceArn, identityStoreId: ACME.identityStoreId, rotationPeriodInDays: days.numberValue });
    });
  } catch (e) {
    caught = e;
  }
  expect((caught as IdcCmkError).details).toEqual([
    'account: got "a cdktf token"; allowed: a literal value: the key policy is built from it and validated at synth, before any token resolves',
    'rotationPeriodInDays: got "a cdktf token"; allowed: a literal value: the key policy is built from it and validated at synth, before any token resolves',
  ]);
});
