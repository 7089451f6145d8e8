import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildApp } from '../../app/build-app';
import { parseRolloutConfig } from '../../config/load';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Issue 6: three accounts in two Regions each (a primary and a replica), delegated admins, alarms. */
const FLEET = `
version: 1
defaults:
  organizationId: o-fleetfleet
  assumeRole:
    roleArn: arn:{partition}:iam::{account}:role/idc-cmk-deploy
  tamperAlarms:
    enabled: true
    subscriptions:
      - protocol: email
        endpoint: security@example.com
  delegatedAdminAccess:
    enabled: true
    roleNames: [IdentityCenterAdmins]
targets:
  - name: alpha
    account: '100000000001'
    region: us-east-1
    replicaRegions: [us-west-2]
    instanceArn: arn:aws:sso:::instance/ssoins-000000000000000a
    identityStoreId: d-000000000a
    delegatedAdminAccounts: ['900000000001']
  - name: beta
    account: '100000000002'
    region: eu-west-1
    replicaRegions: [eu-central-1]
    instanceArn: arn:aws:sso:::instance/ssoins-000000000000000b
    identityStoreId: d-000000000b
    delegatedAdminAccounts: ['900000000002']
  - name: gamma
    account: '100000000003'
    region: ap-southeast-2
    replicaRegions: [ap-southeast-1]
    instanceArn: arn:aws:sso:::instance/ssoins-000000000000000c
    identityStoreId: d-000000000c
    delegatedAdminAccounts: ['900000000003']
`;

function synthFleet(): Record<string, Json> {
  const outdir = mkdtempSync(join(tmpdir(), 'idc-cmk-fleet-'));
  const app = Testing.app({ outdir });
  buildApp(parseRolloutConfig(FLEET, 'fleet.yaml'), { app, projectDir: outdir }).app.synth();
  const dir = join(outdir, 'stacks');
  return Object.fromEntries(readdirSync(dir).map((id) => [id, JSON.parse(readFileSync(join(dir, id, 'cdk.tf.json'), 'utf8')) as Json]));
}

const stacks = synthFleet();
const TARGETS = [
  { name: 'alpha', account: '100000000001', region: 'us-east-1', replica: 'us-west-2', delegated: '900000000001' },
  { name: 'beta', account: '100000000002', region: 'eu-west-1', replica: 'eu-central-1', delegated: '900000000002' },
  { name: 'gamma', account: '100000000003', region: 'ap-southeast-2', replica: 'ap-southeast-1', delegated: '900000000003' },
];

const resources = (stack: Json, type: string): Json[] => Object.values((stack.resource?.[type] ?? {}) as Record<string, Json>);

describe('a fleet of three accounts in two Regions each', () => {
  test('one stack per target', () => {
    expect(Object.keys(stacks).sort()).toEqual(['alpha', 'beta', 'gamma']);
  });

  test.each(TARGETS)('$name: every provider is pinned with allowed_account_ids', ({ name, account, delegated }) => {
    const providers = stacks[name]!.provider.aws as Json[];
    expect(providers).toHaveLength(2);
    for (const p of providers) expect(p.allowed_account_ids).toHaveLength(1);
    const main = providers.find((p) => p.alias === undefined)!;
    const alias = providers.find((p) => p.alias !== undefined)!;
    expect(main.allowed_account_ids).toEqual([account]);
    expect(alias.allowed_account_ids).toEqual([delegated]);
    expect(alias.assume_role[0].role_arn).toBe(`arn:aws:iam::${delegated}:role/idc-cmk-deploy`);
  });

  test.each(TARGETS)('$name: a multi-Region primary and a replica with the same policy', ({ name, replica }) => {
    const [key] = resources(stacks[name]!, 'aws_kms_key');
    const [replicaKey] = resources(stacks[name]!, 'aws_kms_replica_key');
    expect(key.multi_region).toBe(true);
    expect(replicaKey.region).toBe(replica);
    expect(replicaKey.policy).toBe(key.policy);
    const aliasRegions = resources(stacks[name]!, 'aws_kms_alias').map((a) => a.region ?? 'primary');
    expect(aliasRegions.sort()).toEqual(['primary', replica].sort());
  });

  test.each(TARGETS)('$name: the delegated-admin policy is created through the delegated-admin provider', ({ name, delegated }) => {
    const [policy] = resources(stacks[name]!, 'aws_iam_policy');
    expect(policy.provider).toBe(`aws.delegated_admin_${delegated}`);
    const doc = JSON.parse(policy.policy) as { Statement: { Action: string | string[] }[] };
    const actions = doc.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).not.toContain('kms:*');
    const [attachment] = resources(stacks[name]!, 'aws_iam_role_policy_attachment');
    expect(attachment.provider).toBe(`aws.delegated_admin_${delegated}`);
    expect(attachment.role).toBe('IdentityCenterAdmins');
  });

  test.each(TARGETS)('$name: tamper alarms in the key Region and the replica Region', ({ name, region, replica }) => {
    const rules = resources(stacks[name]!, 'aws_cloudwatch_event_rule');
    expect(rules.map((r) => r.region ?? region).sort()).toEqual([region, replica].sort());
    const topics = resources(stacks[name]!, 'aws_sns_topic');
    expect(topics).toHaveLength(2);
    const subscriptions = resources(stacks[name]!, 'aws_sns_topic_subscription');
    expect(subscriptions.every((s) => s.protocol === 'email' && s.endpoint === 'security@example.com')).toBe(true);
  });

  test('no resource is created in an account other than the target and its delegated-admin account', () => {
    for (const t of TARGETS) {
      const stack = stacks[t.name]!;
      for (const [type, byName] of Object.entries(stack.resource as Record<string, Record<string, Json>>)) {
        for (const r of Object.values(byName)) {
          if (r.provider !== undefined) expect([`aws.delegated_admin_${t.delegated}`]).toContain(r.provider);
          else expect(type).not.toBe('aws_iam_policy');
        }
      }
    }
  });
});

/** A one-target rollout file with extra target lines (YAML, indented under the target). */
const solo = (...lines: string[]): string => `version: 1
targets:
  - name: solo
    account: '100000000009'
    region: us-east-1
    instanceArn: arn:aws:sso:::instance/ssoins-000000000000000f
    identityStoreId: d-000000000f
${lines.map((l) => `    ${l}\n`).join('')}`;

test('delegatedAdminAccess.enabled without delegated-admin accounts is a config error', () => {
  expect(() => parseRolloutConfig(solo('delegatedAdminAccess: { enabled: true }'), 'x.yaml')).toThrow(expect.objectContaining({ details: [expect.stringContaining('delegatedAdminAccess.enabled: got true; allowed: false unless delegatedAdminAccounts lists at least one account')] }));
});

test('a refused role name is named by its rollout field, delegatedAdminAccess.roleNames[i]', () => {
  const config = parseRolloutConfig(solo("delegatedAdminAccounts: ['100000000010']", 'delegatedAdminAccess: { enabled: true, roleNames: [Admin, Admin] }'), 'x.yaml');
  expect(() => buildApp(config, { app: Testing.app() })).toThrow(
    expect.objectContaining({ details: [expect.stringMatching(/^targets\[0\] \(solo\): delegatedAdminAccess\.roleNames\[1\]: got "Admin"; allowed: each role name once/)] }),
  );
});

describe('tamper alarm topics in replica Regions', () => {
  const target = (tamperAlarms: string) => `version: 1
targets:
  - name: solo
    account: '100000000009'
    region: us-east-1
    replicaRegions: [eu-west-1]
    instanceArn: arn:aws:sso:::instance/ssoins-000000000000000f
    identityStoreId: d-000000000f
    tamperAlarms: ${tamperAlarms}
`;
  const errorOf = (yaml: string): { message: string; details: readonly string[] } => {
    try {
      buildApp(parseRolloutConfig(yaml, 'x.yaml'), { app: Testing.app() });
    } catch (e) {
      return e as { message: string; details: readonly string[] };
    }
    throw new Error('expected the build to fail');
  };
  const KEY_US = 'arn:aws:kms:us-east-1:100000000009:key/11111111-2222-3333-4444-555555555555';
  const KEY_EU = 'arn:aws:kms:eu-west-1:100000000009:key/66666666-2222-3333-4444-555555555555';

  test('an encrypted topic in the key Region needs a key for each replica Region\'s topic (never a silent unencrypted one)', () => {
    expect(errorOf(target(`{ enabled: true, topicKmsKeyArn: '${KEY_US}' }`)).details).toEqual([
      expect.stringMatching(/^targets\[0\] \(solo\): tamperAlarms\.replicaTopics\.eu-west-1\.topicKmsKeyArn: got nothing; allowed: a KMS key ARN in "eu-west-1": the key Region's topic is encrypted/),
    ]);
  });

  test('replicaTopics gives each replica Region its key; both topics are encrypted', () => {
    const { stacks } = buildApp(parseRolloutConfig(target(`{ enabled: true, topicKmsKeyArn: '${KEY_US}', replicaTopics: { eu-west-1: { topicKmsKeyArn: '${KEY_EU}' } } }`), 'x.yaml'), { app: Testing.app() });
    const synthesized = JSON.parse(Testing.synth(stacks[0]!)) as Json;
    const topics = Object.values(synthesized.resource.aws_sns_topic as Record<string, Json>);
    expect(topics.map((t) => t.kms_master_key_id).sort()).toEqual([KEY_EU, KEY_US]);
  });

  test('existingTopicArn with replicas: each replica Region names its own existing topic; no topic is created', () => {
    const yaml = target(`{ enabled: true, existingTopicArn: 'arn:aws:sns:us-east-1:100000000009:alarms', replicaTopics: { eu-west-1: { existingTopicArn: 'arn:aws:sns:eu-west-1:100000000009:alarms' } } }`);
    const { stacks } = buildApp(parseRolloutConfig(yaml, 'x.yaml'), { app: Testing.app() });
    const synthesized = JSON.parse(Testing.synth(stacks[0]!)) as Json;
    expect(synthesized.resource.aws_sns_topic).toBeUndefined();
    const targets = Object.values(synthesized.resource.aws_cloudwatch_event_target as Record<string, Json>).map((t) => t.arn).sort();
    expect(targets).toEqual(['arn:aws:sns:eu-west-1:100000000009:alarms', 'arn:aws:sns:us-east-1:100000000009:alarms']);
  });

  test('subscriptions next to existingTopicArn are refused, not dropped; replicaTopics only for replica Regions', () => {
    const withSubscriptions = target(`{ enabled: true, existingTopicArn: 'arn:aws:sns:us-east-1:100000000009:alarms', replicaTopics: { eu-west-1: { existingTopicArn: 'arn:aws:sns:eu-west-1:100000000009:alarms' } }, subscriptions: [{ protocol: email, endpoint: a@example.com }] }`);
    expect(errorOf(withSubscriptions).details).toEqual([expect.stringMatching(/^targets\[0\] \(solo\): tamperAlarms\.subscriptions: got .*; allowed: nothing when existingTopicArn is given/)]);
    expect(errorOf(target(`{ enabled: true, replicaTopics: { ap-south-1: { topicKmsKeyArn: '${KEY_EU}' } } }`)).details).toEqual([
      expect.stringMatching(/^targets\[0\] \(solo\): tamperAlarms\.replicaTopics\.ap-south-1: got .*; allowed: settings only for a replica Region of this target \(eu-west-1\)/),
    ]);
  });
});
