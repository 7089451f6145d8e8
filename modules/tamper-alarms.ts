/**
 * Tamper alarms for an Identity Center key: EventBridge rules on the CloudTrail-recorded API calls
 * that change the key (policy, state, rotation, aliases, grants, tags, replication) or the
 * instance's encryption setting, delivered to an SNS topic.
 *
 * What must be true for events to arrive (also in docs/fleet.md):
 * - A CloudTrail trail (account trail, or an organization trail that covers this account) is logging
 *   management events with read/write type "write" (or "all"). EventBridge only receives
 *   "AWS API Call via CloudTrail" events while such a trail is logging; the 90-day Event history alone
 *   is not enough.
 * - EventBridge receives a CloudTrail management event only in the Region where the API call was
 *   made. So there is one rule per Region: the key's Region, and each replica Region (KMS records
 *   calls on a multi-Region replica in the replica's Region). Targets must be in the rule's Region,
 *   so each Region also gets its own topic.
 * - Identity Center's `UpdateInstance` (the encryption switch) is recorded in the instance's Region,
 *   which is the key's Region; only that Region's rule matches it.
 * - Calls made by other accounts on this key (for example a delegated admin creating a grant) are
 *   delivered to the key owner's event bus as well.
 * - Delivery of CloudTrail events to EventBridge is best effort: an alarm is a fast signal, not proof
 *   of absence. The nightly drift check (`idc-cmk drift`) is the safety net.
 * - An encrypted topic needs a customer managed KMS key whose policy lets `events.amazonaws.com` use
 *   `kms:GenerateDataKey*` and `kms:Decrypt`; the AWS managed `alias/aws/sns` key cannot be used.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { IdcCmkError } from '../core/errors';
import { renderPolicy } from '../policy/render';
import { POLICY_VERSION, type PolicyDocument } from '../policy/types';
import type { AwsPartition } from './identity-center-key-props';
import { DEFAULT_PARTITION, normalizeAlias } from './private/defaults';

/** The CloudTrail `detail-type` EventBridge gives API calls. */
export const CLOUDTRAIL_API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * KMS API calls that change the key, its aliases, grants, tags or replicas. Each is recorded by
 * CloudTrail as a write management event.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html
 */
export const DEFAULT_KMS_TAMPER_EVENT_NAMES: readonly string[] = [
  'PutKeyPolicy',
  'DisableKey',
  'EnableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'DisableKeyRotation',
  'EnableKeyRotation',
  'RotateKeyOnDemand',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'CreateGrant',
  'RetireGrant',
  'RevokeGrant',
  'TagResource',
  'UntagResource',
  'UpdateKeyDescription',
  'ReplicateKey',
  'UpdatePrimaryRegion',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
];

/** Identity Center calls that change the instance's encryption (`EncryptionConfiguration`). */
export const DEFAULT_INSTANCE_TAMPER_EVENT_NAMES: readonly string[] = ['UpdateInstance'];

/** Alias calls: they carry `aliasName` / `targetKeyId` rather than `keyId`. */
const ALIAS_EVENT_NAMES: readonly string[] = ['CreateAlias', 'UpdateAlias', 'DeleteAlias'];
/** Alias calls that name the key they point the alias at (`targetKeyId`). */
const ALIAS_TARGET_EVENT_NAMES: readonly string[] = ['CreateAlias', 'UpdateAlias'];

import { type TamperAlarmProtocol, validateKeyTamperAlarmsProps } from './validation/validate-tamper-alarms';
export { TAMPER_ALARM_PROTOCOLS, subscriptionEndpointAllowed, validateKeyTamperAlarmsProps, type TamperAlarmProtocol } from './validation/validate-tamper-alarms';

export interface TamperAlarmSubscription {
  /** How SNS delivers: `email`, `https`, `sqs` (standard queue) or `lambda`. */
  readonly protocol: TamperAlarmProtocol;
  /**
   * The email address, `https://` URL, SQS queue ARN or Lambda function ARN. Email and HTTPS
   * subscriptions stay pending until confirmed; SQS queues and Lambda functions need their own
   * resource policies allowing `sns.amazonaws.com` (not created here).
   */
  readonly endpoint: string;
  /**
   * Deliver the EventBridge event JSON without the SNS envelope. Only for `sqs` and `https`.
   * @default false
   */
  readonly rawMessageDelivery?: boolean;
}

export interface TamperAlarmTopicOptions {
  /**
   * The SNS topic name (the same name in each Region).
   * @default - the rule name
   */
  readonly name?: string;
  /**
   * KMS key ARN for SNS server-side encryption of the topic in the key's Region. Must be a customer
   * managed key (not `alias/aws/sns`, not the Identity Center key itself) whose policy lets
   * `events.amazonaws.com` call `kms:GenerateDataKey*` and `kms:Decrypt`. Replica Regions take
   * theirs from {@link TamperAlarmReplica.topicKmsMasterKeyArn}.
   * @default - no server-side encryption
   */
  readonly kmsMasterKeyArn?: string;
  /**
   * Subscriptions, created on the topic in every Region.
   * @default - none (subscribe out of band, or read the topic from another tool)
   */
  readonly subscriptions?: readonly TamperAlarmSubscription[];
}

/** A replica of a multi-Region key: it gets its own rule (and topic) in its Region. */
export interface TamperAlarmReplica {
  /** The replica's Region. */
  readonly region: string;
  /** The replica key ARN (a cdktf token is fine): `arn:<partition>:kms:<region>:<account>:key/mrk-...`. */
  readonly keyArn: string;
  /**
   * An existing SNS topic in this Region. Required when {@link KeyTamperAlarmsProps.existingTopicArn} is given.
   * @default - a topic is created
   */
  readonly existingTopicArn?: string;
  /**
   * KMS key ARN encrypting the topic created in this Region (see {@link TamperAlarmTopicOptions.kmsMasterKeyArn}).
   * @default - no server-side encryption
   */
  readonly topicKmsMasterKeyArn?: string;
}

export interface KeyTamperAlarmsProps {
  /** ARN of the key (the multi-Region primary), in `region`. A cdktf token is fine. */
  readonly keyArn: string;
  /** The key ID (`<uuid>` or `mrk-<32 hex>`). A cdktf token is fine. */
  readonly keyId: string;
  /**
   * The key's alias names (`alias/` added when missing). Alias calls that do not carry the key ID
   * (`DeleteAlias`) are matched by these names.
   * @default - none: alias deletions are only caught through the key ARN CloudTrail records
   */
  readonly aliasNames?: readonly string[];
  /**
   * Also match alias calls on any alias whose name starts with one of these (for example
   * `alias/identity-center` catches `alias/identity-center-old`).
   * @default - none
   */
  readonly aliasNamePrefixes?: readonly string[];
  /**
   * The Identity Center instance ARN. When given, `UpdateInstance` calls on this instance raise the alarm.
   * @default - instance encryption changes are not watched
   */
  readonly instanceArn?: string;
  /** The key's (and the instance's) Region. The primary rule and topic are created here. */
  readonly region: string;
  /** The account that owns the key (the management account). */
  readonly account: string;
  /**
   * The AWS partition.
   * @default 'aws'
   */
  readonly partition?: AwsPartition;
  /**
   * Replicas of a multi-Region key. Each gets a rule (and topic) in its Region, because KMS records
   * calls on a replica in the replica's Region.
   * @default - no replicas
   */
  readonly replicas?: readonly TamperAlarmReplica[];
  /**
   * The topic to create (name, encryption, subscriptions). Not allowed with `existingTopicArn`.
   * @default - a topic named after the rule, unencrypted, no subscriptions
   */
  readonly topic?: TamperAlarmTopicOptions;
  /**
   * Send to an existing SNS topic in `region` instead of creating one. Its policy must already let
   * `events.amazonaws.com` publish (this construct does not change it). Every replica then needs its
   * own `existingTopicArn`: EventBridge targets must be in the rule's Region.
   * @default - a topic is created
   */
  readonly existingTopicArn?: string;
  /**
   * KMS event names to watch, replacing {@link DEFAULT_KMS_TAMPER_EVENT_NAMES}.
   * @default DEFAULT_KMS_TAMPER_EVENT_NAMES
   */
  readonly eventNames?: readonly string[];
  /**
   * Identity Center (`aws.sso`) event names to watch for `instanceArn`, replacing {@link DEFAULT_INSTANCE_TAMPER_EVENT_NAMES}.
   * @default DEFAULT_INSTANCE_TAMPER_EVENT_NAMES
   */
  readonly instanceEventNames?: readonly string[];
  /**
   * Also alarm on calls that failed (CloudTrail records them with an `errorCode`, e.g. AccessDenied):
   * a refused `ScheduleKeyDeletion` is still worth knowing about.
   * @default true
   */
  readonly includeFailedCalls?: boolean;
  /**
   * Rule name (the same in each Region), 1 to 64 of `A-Z a-z 0-9 . - _`.
   * @default 'idc-cmk-key-tamper'
   */
  readonly ruleName?: string;
  /**
   * Tags on the rules and topics.
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Create the rules enabled. Disabled rules match nothing (useful while a change window is open).
   * @default true
   */
  readonly enabled?: boolean;
}

/** What the construct created in one Region. */
export interface TamperAlarmRegion {
  readonly region: string;
  /** The key ARN the rule watches in this Region. */
  readonly keyArn: string;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  /** The topic created here (undefined with an existing topic). */
  readonly topic?: SnsTopic;
  readonly topicPolicy?: SnsTopicPolicy;
  readonly topicArn: string;
  readonly subscriptions: readonly SnsTopicSubscription[];
  /** The event pattern, before cdktf resolves tokens in it. */
  readonly eventPattern: EventPattern;
}

/** An EventBridge event pattern, as the construct builds it. */
export type EventPattern = { readonly [field: string]: unknown };

export const DEFAULT_TAMPER_RULE_NAME = 'idc-cmk-key-tamper';
/** Sid of the only statement of the topic policy. */
export const TOPIC_POLICY_SID = 'AllowEventBridgeTamperRulePublish';
export const EVENTS_SERVICE_PRINCIPAL = 'events.amazonaws.com';


export class KeyTamperAlarms extends Construct {
  /** One entry per Region: the key's Region first, then each replica Region. */
  public readonly regions: readonly TamperAlarmRegion[];
  /** The rules, in the order of {@link regions}. */
  public readonly rules: readonly CloudwatchEventRule[];
  /** The topic ARN per Region. */
  public readonly topicArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: KeyTamperAlarmsProps) {
    super(scope, id);
    const problems = validateKeyTamperAlarmsProps(props);
    if (problems.length > 0) {
      throw new IdcCmkError(
        'INPUT_INVALID',
        `KeyTamperAlarms "${id}": ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `- ${p}`).join('\n')}`,
        { details: problems },
      );
    }
    const partition = props.partition ?? DEFAULT_PARTITION;
    const ruleName = props.ruleName ?? DEFAULT_TAMPER_RULE_NAME;
    const tags = props.tags && Object.keys(props.tags).length > 0 ? { ...props.tags } : undefined;
    const aliasNames = [...new Set((props.aliasNames ?? []).map(normalizeAlias))];

    const sites = [
      {
        region: props.region,
        keyArn: props.keyArn,
        existingTopicArn: props.existingTopicArn,
        kmsMasterKeyArn: props.topic?.kmsMasterKeyArn,
        watchInstance: props.instanceArn !== undefined,
      },
      ...(props.replicas ?? []).map((r) => ({
        region: r.region,
        keyArn: r.keyArn,
        existingTopicArn: r.existingTopicArn,
        kmsMasterKeyArn: r.topicKmsMasterKeyArn,
        watchInstance: false,
      })),
    ];

    this.regions = sites.map((site) => {
      const eventPattern = buildTamperEventPattern({
        keyId: props.keyId,
        keyArn: site.keyArn,
        aliasNames,
        aliasNamePrefixes: (props.aliasNamePrefixes ?? []).map(normalizeAlias),
        aliasArns: aliasNames.map((a) => `arn:${partition}:kms:${site.region}:${props.account}:${a}`),
        instanceArn: site.watchInstance ? props.instanceArn : undefined,
        eventNames: props.eventNames ?? DEFAULT_KMS_TAMPER_EVENT_NAMES,
        instanceEventNames: props.instanceEventNames ?? DEFAULT_INSTANCE_TAMPER_EVENT_NAMES,
        includeFailedCalls: props.includeFailedCalls ?? true,
      });
      const scope = new Construct(this, site.region);
      const rule = new CloudwatchEventRule(scope, 'rule', {
        region: site.region,
        name: ruleName,
        description: `Changes to the IAM Identity Center KMS key${site.watchInstance ? ' and the instance encryption' : ''} (${site.region})`,
        eventPattern: JSON.stringify(eventPattern),
        state: props.enabled === false ? 'DISABLED' : 'ENABLED',
        tags,
      });

      let topic: SnsTopic | undefined;
      let topicPolicy: SnsTopicPolicy | undefined;
      let topicArn: string;
      let subscriptions: SnsTopicSubscription[] = [];
      if (site.existingTopicArn !== undefined) {
        topicArn = site.existingTopicArn;
      } else {
        topic = new SnsTopic(scope, 'topic', {
          region: site.region,
          name: props.topic?.name ?? ruleName,
          kmsMasterKeyId: site.kmsMasterKeyArn,
          tags,
        });
        topicArn = topic.arn;
        topicPolicy = new SnsTopicPolicy(scope, 'topic-policy', {
          region: site.region,
          arn: topic.arn,
          policy: renderPolicy(buildTopicPolicy({ topicArn: topic.arn, ruleArns: [rule.arn], account: props.account })),
        });
        subscriptions = (props.topic?.subscriptions ?? []).map(
          (s, i) =>
            new SnsTopicSubscription(scope, `subscription-${i}`, {
              region: site.region,
              topicArn: topic!.arn,
              protocol: s.protocol,
              endpoint: s.endpoint,
              rawMessageDelivery: s.rawMessageDelivery,
            }),
        );
      }
      const target = new CloudwatchEventTarget(scope, 'target', {
        region: site.region,
        rule: rule.name,
        targetId: 'sns',
        arn: topicArn,
        dependsOn: topicPolicy ? [topicPolicy] : undefined,
      });
      return { region: site.region, keyArn: site.keyArn, rule, target, topic, topicPolicy, topicArn, subscriptions, eventPattern };
    });
    this.rules = this.regions.map((r) => r.rule);
    this.topicArns = Object.fromEntries(this.regions.map((r) => [r.region, r.topicArn]));
  }
}

/** Inputs of {@link buildTamperEventPattern} (all values already normalised). */
export interface TamperEventPatternInput {
  readonly keyId: string;
  /** The key ARN in the rule's Region. */
  readonly keyArn: string;
  readonly aliasNames: readonly string[];
  readonly aliasNamePrefixes: readonly string[];
  /** Alias ARNs in the rule's Region (callers may pass an alias ARN as `keyId`). */
  readonly aliasArns: readonly string[];
  readonly instanceArn?: string;
  readonly eventNames: readonly string[];
  readonly instanceEventNames: readonly string[];
  readonly includeFailedCalls: boolean;
}

/**
 * The event pattern for one Region: CloudTrail API calls from `aws.kms` that name this key (by ID,
 * ARN, alias name or alias ARN in `requestParameters.keyId`; by `targetKeyId` or `aliasName` for alias
 * calls; or by the key ARN CloudTrail records in `resources`), and `aws.sso` calls on this instance.
 * The branches are alternatives (`$or` inside `detail`, EventBridge content filtering).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
 */
export function buildTamperEventPattern(input: TamperEventPatternInput): EventPattern {
  const keyRefs = [input.keyId, input.keyArn, ...input.aliasNames, ...input.aliasArns];
  const failed = input.includeFailedCalls ? {} : { errorCode: [{ exists: false }] };
  const kms = (eventNames: readonly string[], match: Record<string, unknown>): Record<string, unknown> | undefined =>
    eventNames.length > 0 ? { eventSource: ['kms.amazonaws.com'], eventName: [...eventNames], ...match, ...failed } : undefined;

  const aliasEvents = input.eventNames.filter((n) => ALIAS_EVENT_NAMES.includes(n));
  const aliasTargetEvents = input.eventNames.filter((n) => ALIAS_TARGET_EVENT_NAMES.includes(n));
  const keyEvents = input.eventNames.filter((n) => !ALIAS_EVENT_NAMES.includes(n));
  const aliasMatchers = [...input.aliasNames, ...input.aliasNamePrefixes.map((prefix) => ({ prefix }))];

  const branches = [
    kms(keyEvents, { requestParameters: { keyId: keyRefs } }),
    kms(aliasTargetEvents, { requestParameters: { targetKeyId: [input.keyId, input.keyArn] } }),
    aliasMatchers.length > 0 ? kms(aliasEvents, { requestParameters: { aliasName: aliasMatchers } }) : undefined,
    kms(input.eventNames, { resources: { ARN: [input.keyArn] } }),
    input.instanceArn !== undefined && input.instanceEventNames.length > 0
      ? { eventSource: ['sso.amazonaws.com'], eventName: [...input.instanceEventNames], requestParameters: { instanceArn: [input.instanceArn] }, ...failed }
      : undefined,
  ].filter((b): b is Record<string, unknown> => b !== undefined);

  return {
    source: input.instanceArn !== undefined && input.instanceEventNames.length > 0 ? ['aws.kms', 'aws.sso'] : ['aws.kms'],
    'detail-type': [CLOUDTRAIL_API_CALL_DETAIL_TYPE],
    detail: { $or: branches },
  };
}

/**
 * The topic policy: only EventBridge may publish, only from these rules, only for this account.
 * No statement for the owner account: same-account IAM policies already govern it.
 */
export function buildTopicPolicy(input: { readonly topicArn: string; readonly ruleArns: readonly string[]; readonly account: string }): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: TOPIC_POLICY_SID,
        Effect: 'Allow',
        Principal: { Service: EVENTS_SERVICE_PRINCIPAL },
        Action: 'sns:Publish',
        Resource: input.topicArn,
        Condition: {
          ArnEquals: { 'aws:SourceArn': input.ruleArns.length === 1 ? input.ruleArns[0] : [...input.ruleArns] },
          StringEquals: { 'aws:SourceAccount': input.account },
        },
      },
    ],
  };
}

/** Every problem with the props, each naming the prop, the value received and what is allowed. */
