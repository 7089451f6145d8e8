import 'cdktf/lib/testing/adapters/jest';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { TerraformStack, Testing } from 'cdktf';
import { isIdcCmkError } from '../../core/errors';
import { KeyTamperAlarms, type KeyTamperAlarmsProps } from '../../modules/tamper-alarms';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const KEY_ID = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';

// Written out here on purpose (not imported), so a typo in the construct cannot become the expectation.
const EXPECTED_KMS_EVENTS = [
  'PutKeyPolicy', 'DisableKey', 'ScheduleKeyDeletion', 'CancelKeyDeletion', 'DisableKeyRotation', 'EnableKeyRotation',
  'UpdateAlias', 'DeleteAlias', 'CreateAlias', 'CreateGrant', 'RetireGrant', 'RevokeGrant', 'TagResource', 'UntagResource',
  'UpdateKeyDescription', 'ReplicateKey', 'UpdatePrimaryRegion', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial',
];

const BASE: KeyTamperAlarmsProps = {
  keyArn: KEY_ARN,
  keyId: KEY_ID,
  aliasNames: ['identity-center'],
  instanceArn: INSTANCE,
  region: REGION,
  account: ACCOUNT,
};

type Synth = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

function synth(props: Partial<KeyTamperAlarmsProps> = {}): { json: string; parsed: Synth } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  new AwsProvider(stack, 'aws', { region: REGION, allowedAccountIds: [ACCOUNT] });
  new KeyTamperAlarms(stack, 'alarms', { ...BASE, ...props });
  const json = Testing.synth(stack);
  return { json, parsed: JSON.parse(json) as Synth };
}

function resources(parsed: Synth, type: string): Record<string, unknown>[] {
  return Object.values(parsed.resource?.[type] ?? {});
}

interface Branch {
  eventSource: string[];
  eventName: string[];
  requestParameters?: Record<string, unknown[]>;
  resources?: { ARN: string[] };
  errorCode?: unknown;
}
interface Pattern {
  source: string[];
  'detail-type': string[];
  detail: { $or: Branch[] };
}

function patternOf(rule: Record<string, unknown>): Pattern {
  return JSON.parse(rule.event_pattern as string) as Pattern;
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

describe('KeyTamperAlarms event pattern', () => {
  test('matches CloudTrail API calls from KMS on this key and UpdateInstance on this instance', () => {
    const { parsed } = synth();
    const rules = resources(parsed, 'aws_cloudwatch_event_rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ region: REGION, state: 'ENABLED', name: 'idc-cmk-key-tamper' });
    const p = patternOf(rules[0]);

    expect(p.source.sort()).toEqual(['aws.kms', 'aws.sso']);
    expect(p['detail-type']).toEqual(['AWS API Call via CloudTrail']);

    const kms = p.detail.$or.filter((b) => b.eventSource[0] === 'kms.amazonaws.com');
    const allKmsNames = new Set(kms.flatMap((b) => b.eventName));
    for (const name of EXPECTED_KMS_EVENTS) expect(allKmsNames).toContain(name);
    expect(allKmsNames).not.toContain('UpdateInstance');

    // keyId branch: the key by ID, ARN, alias name and alias ARN; not the alias-only calls.
    const byKeyId = kms.find((b) => b.requestParameters?.keyId);
    expect(byKeyId?.requestParameters?.keyId).toEqual([KEY_ID, KEY_ARN, 'alias/identity-center', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/identity-center`]);
    expect(byKeyId?.eventName).toContain('PutKeyPolicy');
    expect(byKeyId?.eventName).toContain('ScheduleKeyDeletion');
    expect(byKeyId?.eventName).not.toContain('DeleteAlias');

    // Alias calls: by the key they target, and by alias name (DeleteAlias carries no key id).
    const byTarget = kms.find((b) => b.requestParameters?.targetKeyId);
    expect(byTarget?.requestParameters?.targetKeyId).toEqual([KEY_ID, KEY_ARN]);
    expect(byTarget?.eventName.sort()).toEqual(['CreateAlias', 'UpdateAlias']);
    const byAlias = kms.find((b) => b.requestParameters?.aliasName);
    expect(byAlias?.requestParameters?.aliasName).toEqual(['alias/identity-center']);
    expect(byAlias?.eventName).toContain('DeleteAlias');

    // Fallback on the key ARN CloudTrail records in `resources` (RetireGrant by grant token).
    const byResource = kms.find((b) => b.resources);
    expect(byResource?.resources?.ARN).toEqual([KEY_ARN]);

    const sso = p.detail.$or.filter((b) => b.eventSource[0] === 'sso.amazonaws.com');
    expect(sso).toEqual([{ eventSource: ['sso.amazonaws.com'], eventName: ['UpdateInstance'], requestParameters: { instanceArn: [INSTANCE] } }]);
    // Failed calls alarm too by default.
    expect(p.detail.$or.every((b) => b.errorCode === undefined)).toBe(true);
  });

  test('a token key ARN and ID resolve to Terraform references inside the pattern', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    new AwsProvider(stack, 'aws', { region: REGION });
    const key = new KmsKey(stack, 'key', { multiRegion: true });
    new KeyTamperAlarms(stack, 'alarms', { ...BASE, keyArn: key.arn, keyId: key.keyId });
    const rule = Object.values((JSON.parse(Testing.synth(stack)) as Synth).resource.aws_cloudwatch_event_rule)[0];
    const p = patternOf(rule);
    const byKeyId = p.detail.$or.find((b) => b.requestParameters?.keyId);
    expect(byKeyId?.requestParameters?.keyId.slice(0, 2)).toEqual(['${aws_kms_key.key.key_id}', '${aws_kms_key.key.arn}']);
  });

  test('without an instance ARN only aws.kms is matched', () => {
    const { parsed } = synth({ instanceArn: undefined });
    const p = patternOf(resources(parsed, 'aws_cloudwatch_event_rule')[0]);
    expect(p.source).toEqual(['aws.kms']);
    expect(p.detail.$or.some((b) => b.eventSource[0] === 'sso.amazonaws.com')).toBe(false);
  });

  test('eventNames override, alias prefixes, failed calls excluded, disabled rule', () => {
    const { parsed } = synth({
      eventNames: ['PutKeyPolicy', 'DeleteAlias'],
      aliasNamePrefixes: ['identity-center'],
      includeFailedCalls: false,
      enabled: false,
    });
    const rule = resources(parsed, 'aws_cloudwatch_event_rule')[0];
    expect(rule.state).toBe('DISABLED');
    const p = patternOf(rule);
    const kmsNames = new Set(p.detail.$or.filter((b) => b.eventSource[0] === 'kms.amazonaws.com').flatMap((b) => b.eventName));
    expect([...kmsNames].sort()).toEqual(['DeleteAlias', 'PutKeyPolicy']);
    // No CreateAlias/UpdateAlias watched, so no targetKeyId branch.
    expect(p.detail.$or.some((b) => b.requestParameters?.targetKeyId)).toBe(false);
    expect(p.detail.$or.find((b) => b.requestParameters?.aliasName)?.requestParameters?.aliasName).toEqual([
      'alias/identity-center',
      { prefix: 'alias/identity-center' },
    ]);
    expect(p.detail.$or.every((b) => JSON.stringify(b.errorCode) === '[{"exists":false}]')).toBe(true);
  });
});

describe('KeyTamperAlarms Regions', () => {
  const REPLICAS = [
    { region: 'us-east-1', keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}` },
    { region: 'ap-southeast-2', keyArn: `arn:aws:kms:ap-southeast-2:${ACCOUNT}:key/${KEY_ID}` },
  ];

  test('one rule, target and topic per Region; each replica rule watches its own replica ARN', () => {
    const { parsed } = synth({ replicas: REPLICAS });
    const rules = resources(parsed, 'aws_cloudwatch_event_rule');
    expect(rules.map((r) => r.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    for (const region of ['us-east-1', 'ap-southeast-2']) {
      const p = patternOf(rules.find((r) => r.region === region)!);
      expect(p.detail.$or.find((b) => b.resources)?.resources?.ARN).toEqual([`arn:aws:kms:${region}:${ACCOUNT}:key/${KEY_ID}`]);
      expect(p.detail.$or.find((b) => b.requestParameters?.keyId)?.requestParameters?.keyId).toContain(`arn:aws:kms:${region}:${ACCOUNT}:alias/identity-center`);
      // UpdateInstance is recorded in the instance's Region only.
      expect(p.source).toEqual(['aws.kms']);
    }
    expect(patternOf(rules.find((r) => r.region === REGION)!).source).toContain('aws.sso');

    const topics = resources(parsed, 'aws_sns_topic');
    expect(topics.map((t) => t.region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    const targets = resources(parsed, 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(3);
    for (const t of targets) {
      // Each target points at the topic created in its own Region.
      const topicRef = String(t.arn);
      const topicName = /aws_sns_topic\.([^.]+)\.arn/.exec(topicRef)![1];
      expect(parsed.resource.aws_sns_topic[topicName].region).toBe(t.region);
    }
  });
});

describe('KeyTamperAlarms topic', () => {
  test('the topic policy lets only EventBridge publish, only from the rule, only for the account', () => {
    const { parsed } = synth({ topic: { name: 'key-alarms', kmsMasterKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555` } });
    const [topicName] = Object.keys(parsed.resource.aws_sns_topic);
    expect(parsed.resource.aws_sns_topic[topicName]).toMatchObject({
      name: 'key-alarms',
      kms_master_key_id: `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
    });
    const [ruleName] = Object.keys(parsed.resource.aws_cloudwatch_event_rule);
    const policies = resources(parsed, 'aws_sns_topic_policy');
    expect(policies).toHaveLength(1);
    const doc = JSON.parse(policies[0].policy as string);
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowEventBridgeTamperRulePublish',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: `\${aws_sns_topic.${topicName}.arn}`,
          Condition: {
            ArnEquals: { 'aws:SourceArn': `\${aws_cloudwatch_event_rule.${ruleName}.arn}` },
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
          },
        },
      ],
    });
  });

  test('subscriptions are created on the topic of every Region', () => {
    const { json, parsed } = synth({
      replicas: [{ region: 'us-east-1', keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}` }],
      topic: {
        subscriptions: [
          { protocol: 'email', endpoint: 'secops@example.com' },
          { protocol: 'sqs', endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:key-alarms`, rawMessageDelivery: true },
          { protocol: 'https', endpoint: 'https://hooks.example.com/kms' },
          { protocol: 'lambda', endpoint: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:page-oncall` },
        ],
      },
    });
    expect(resources(parsed, 'aws_sns_topic_subscription')).toHaveLength(8);
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'email', endpoint: 'secops@example.com', region: 'us-east-1' });
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, { protocol: 'sqs', raw_message_delivery: true, region: REGION });
  });

  test('existing topics: no topic, policy or subscription is created; targets use the given ARNs', () => {
    const existing = `arn:aws:sns:${REGION}:${ACCOUNT}:secops`;
    const existingUs = `arn:aws:sns:us-east-1:${ACCOUNT}:secops`;
    const { json } = synth({
      existingTopicArn: existing,
      replicas: [{ region: 'us-east-1', keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`, existingTopicArn: existingUs }],
    });
    expect(json).not.toHaveResource(SnsTopic);
    expect(json).not.toHaveResource(SnsTopicPolicy);
    expect(json).not.toHaveResource(SnsTopicSubscription);
    expect(json).toHaveResourceWithProperties(CloudwatchEventTarget, { arn: existing, region: REGION });
    expect(json).toHaveResourceWithProperties(CloudwatchEventTarget, { arn: existingUs, region: 'us-east-1' });
    expect(json).toHaveResource(CloudwatchEventRule);
  });
});

describe('KeyTamperAlarms validation', () => {
  test('a bad subscription protocol names the field, the value and the protocols allowed', () => {
    expect(problemsOf(() => synth({ topic: { subscriptions: [{ protocol: 'sms' as never, endpoint: '+15555550100' }] } }))).toEqual([
      'topic.subscriptions[0].protocol: got "sms"; allowed: one of "email", "https", "sqs", "lambda"',
    ]);
  });

  test.each([
    ['email', 'secops', 'an email address such as "secops@example.com"'],
    ['https', 'http://hooks.example.com', 'an "https://" URL with a host'],
    ['sqs', `arn:aws:sqs:${REGION}:${ACCOUNT}:alarms.fifo`, 'an SQS standard queue ARN "arn:aws:sqs:<region>:<account>:<queue name>" (FIFO queues cannot subscribe to a standard topic)'],
    ['lambda', `arn:aws:lambda:${REGION}:${ACCOUNT}:page-oncall`, 'a Lambda function ARN "arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]"'],
  ] as const)('a bad %s endpoint is refused with what is allowed', (protocol, endpoint, allowed) => {
    expect(problemsOf(() => synth({ topic: { subscriptions: [{ protocol, endpoint }] } }))).toEqual([
      `topic.subscriptions[0].endpoint: got ${JSON.stringify(endpoint)}; allowed: ${allowed}`,
    ]);
  });

  test('raw message delivery on email, duplicate subscriptions', () => {
    expect(
      problemsOf(() =>
        synth({
          topic: {
            subscriptions: [
              { protocol: 'email', endpoint: 'a@example.com', rawMessageDelivery: true },
              { protocol: 'email', endpoint: 'a@example.com' },
            ],
          },
        }),
      ),
    ).toEqual([
      'topic.subscriptions[0].rawMessageDelivery: got true; allowed: true only for "sqs" and "https" subscriptions',
      'topic.subscriptions[1]: got {"protocol":"email","endpoint":"a@example.com"}; allowed: each protocol and endpoint once',
    ]);
  });

  test('key, account, Region, instance and event names', () => {
    expect(
      problemsOf(() =>
        synth({
          account: '1234',
          keyId: 'not-a-key',
          keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`,
          instanceArn: 'arn:aws:sso:::instance/ins-1',
          eventNames: [],
          ruleName: 'bad name',
        }),
      ),
    ).toEqual([
      'account: got "1234"; allowed: a 12-digit AWS account ID',
      'keyId: got "not-a-key"; allowed: a KMS key ID: a UUID, or "mrk-" followed by 32 lowercase hex characters',
      `keyArn: got "arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}"; allowed: a KMS key ARN "arn:aws:kms:eu-west-1:1234:key/<key ID>" with key ID "not-a-key"`,
      'instanceArn: got "arn:aws:sso:::instance/ins-1"; allowed: an instance ARN "arn:aws:sso:::instance/ssoins-" followed by 16 lowercase hex characters',
      'eventNames: got []; allowed: a non-empty list of distinct API operation names such as "PutKeyPolicy"',
      'ruleName: got "bad name"; allowed: 1 to 64 characters: letters, digits, ".", "-" or "_"',
    ]);
  });

  test('replicas: Region repeated, ARN in the wrong Region, single-Region key ID', () => {
    const uuid = '11111111-2222-3333-4444-555555555555';
    expect(
      problemsOf(() =>
        synth({
          keyId: uuid,
          keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid}`,
          replicas: [
            { region: REGION, keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid}` },
            { region: 'us-east-1', keyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:key/${uuid}` },
          ],
        }),
      ),
    ).toEqual([
      `keyId: got "${uuid}"; allowed: a multi-Region key ID ("mrk-...") when replicas are given`,
      `replicas[0].region: got "${REGION}"; allowed: a Region other than the key's Region and the other replicas' ("${REGION}")`,
      `replicas[1].keyArn: got "arn:aws:kms:us-west-2:${ACCOUNT}:key/${uuid}"; allowed: a KMS key ARN "arn:aws:kms:us-east-1:${ACCOUNT}:key/<key ID>" with key ID "${uuid}"`,
    ]);
  });

  test('existing topic: not with topic options, needed per replica Region, in the rule Region', () => {
    expect(
      problemsOf(() =>
        synth({
          existingTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:secops`,
          topic: { name: 'x' },
          replicas: [{ region: 'us-east-1', keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}` }],
        }),
      ),
    ).toEqual([
      'topic: got {"name":"x"}; allowed: nothing when existingTopicArn is given (the existing topic is used as it is)',
      `existingTopicArn: got "arn:aws:sns:us-east-1:${ACCOUNT}:secops"; allowed: an SNS standard topic ARN in the rule's Region, "arn:aws:sns:eu-west-1:<account>:<name>" (EventBridge targets must be in the rule's Region)`,
      'replicas[0].existingTopicArn: got nothing; allowed: an SNS topic ARN in "us-east-1", because existingTopicArn is given (EventBridge targets must be in the rule\'s Region)',
    ]);
  });

  test('the topic cannot be encrypted with the Identity Center key or the AWS managed SNS key', () => {
    const allowed = `a customer managed KMS key ARN "arn:aws:kms:${REGION}:<account>:key/<key ID>" or alias ARN in the topic's Region, other than the Identity Center key and "alias/aws/sns" (EventBridge cannot use AWS managed keys)`;
    expect(problemsOf(() => synth({ topic: { kmsMasterKeyArn: KEY_ARN } }))).toEqual([`topic.kmsMasterKeyArn: got "${KEY_ARN}"; allowed: ${allowed}`]);
    const awsManaged = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/sns`;
    expect(problemsOf(() => synth({ topic: { kmsMasterKeyArn: awsManaged } }))).toEqual([`topic.kmsMasterKeyArn: got "${awsManaged}"; allowed: ${allowed}`]);
  });

  test('the thrown error lists every problem in its message too', () => {
    expect(() => synth({ account: 'x', region: 'Europe' })).toThrow(/KeyTamperAlarms "alarms": \d+ problems:\n- account: got "x"/);
  });
});
