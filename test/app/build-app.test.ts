import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildApp } from '../../app/build-app';
import { localStatePath } from '../../app/backend';
import { stackIdForTarget } from '../../app/target-stack';
import { parseRolloutConfig } from '../../config/load';
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
