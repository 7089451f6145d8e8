/**
 * Validation of the tamper alarms' props: every problem at once, each naming the prop, the value
 * received and what is allowed.
 */
import { Token } from 'cdktf';
import { describeProblem } from '../../core/errors';
import type { KeyTamperAlarmsProps, TamperAlarmSubscription } from '../tamper-alarms';
import { DEFAULT_PARTITION, normalizeAlias } from '../private/defaults';
import {
  ACCOUNT_ALLOWED, ACCOUNT_PATTERN, ALIAS_ALLOWED, ALIAS_MAX_LENGTH, ALIAS_NAME_PATTERN, ALIAS_RESERVED_PREFIX,
  PARTITION_ALLOWED, REGION_ALLOWED, REGION_PATTERN, instanceArnAllowed, instanceArnPattern,
} from '../private/limits';
import { isPartition } from '../private/partitions';

/** SNS subscription protocols the construct accepts. */
export type TamperAlarmProtocol = 'email' | 'https' | 'sqs' | 'lambda';
export const TAMPER_ALARM_PROTOCOLS: readonly TamperAlarmProtocol[] = ['email', 'https', 'sqs', 'lambda'];

const KEY_ID_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ID_ALLOWED = 'a KMS key ID: a UUID, or "mrk-" followed by 32 lowercase hex characters';
const EVENT_NAME_PATTERN = /^[A-Z][A-Za-z0-9]{1,127}$/;
const EVENT_NAME_ALLOWED = 'a non-empty list of distinct API operation names such as "PutKeyPolicy"';
const RULE_NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;
const RULE_NAME_ALLOWED = '1 to 64 characters: letters, digits, ".", "-" or "_"';
const TOPIC_NAME_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
const TOPIC_NAME_ALLOWED = '1 to 256 characters: letters, digits, "-" or "_" (standard topics only)';
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function validateKeyTamperAlarmsProps(props: KeyTamperAlarmsProps): readonly string[] {
  const problems: string[] = [];
  const partitionOk = props.partition === undefined || isPartition(props.partition);
  if (!partitionOk) problems.push(describeProblem('partition', props.partition, PARTITION_ALLOWED));
  const partition = partitionOk ? (props.partition ?? DEFAULT_PARTITION) : DEFAULT_PARTITION;

  check(problems, 'account', props.account, ACCOUNT_PATTERN, ACCOUNT_ALLOWED);
  check(problems, 'region', props.region, REGION_PATTERN, REGION_ALLOWED);
  check(problems, 'keyId', props.keyId, KEY_ID_PATTERN, KEY_ID_ALLOWED);
  checkKeyArn(problems, 'keyArn', props.keyArn, partition, props.region, props.account, props.keyId);
  if (props.instanceArn !== undefined) {
    check(problems, 'instanceArn', props.instanceArn, instanceArnPattern(partition), instanceArnAllowed(partition));
  }
  (props.aliasNames ?? []).forEach((name, i) => {
    if (Token.isUnresolved(name)) return;
    const alias = normalizeAlias(name);
    if (!ALIAS_NAME_PATTERN.test(alias) || alias.length > ALIAS_MAX_LENGTH || alias.startsWith(ALIAS_RESERVED_PREFIX)) {
      problems.push(describeProblem(`aliasNames[${i}]`, name, ALIAS_ALLOWED));
    }
  });
  (props.aliasNamePrefixes ?? []).forEach((prefix, i) => {
    if (!/^(alias\/)?[a-zA-Z0-9/_-]+$/.test(prefix)) {
      problems.push(describeProblem(`aliasNamePrefixes[${i}]`, prefix, 'the start of an alias name: letters, digits, "/", "_" or "-"'));
    }
  });
  checkEventNames(problems, 'eventNames', props.eventNames);
  checkEventNames(problems, 'instanceEventNames', props.instanceEventNames);
  if (props.ruleName !== undefined) check(problems, 'ruleName', props.ruleName, RULE_NAME_PATTERN, RULE_NAME_ALLOWED);

  if (props.existingTopicArn !== undefined && props.topic !== undefined) {
    problems.push(describeProblem('topic', props.topic, 'nothing when existingTopicArn is given (the existing topic is used as it is)'));
  }
  if (props.existingTopicArn !== undefined) checkTopicArn(problems, 'existingTopicArn', props.existingTopicArn, partition, props.region);
  if (props.topic?.name !== undefined) check(problems, 'topic.name', props.topic.name, TOPIC_NAME_PATTERN, TOPIC_NAME_ALLOWED);
  if (props.topic?.kmsMasterKeyArn !== undefined) {
    checkTopicKey(problems, 'topic.kmsMasterKeyArn', props.topic.kmsMasterKeyArn, partition, props.region, props);
  }
  checkSubscriptions(problems, props.topic?.subscriptions ?? [], partition);
  checkReplicas(problems, props, partition);
  return problems;
}

function check(problems: string[], field: string, value: unknown, pattern: RegExp, allowed: string): void {
  if (typeof value === 'string' && Token.isUnresolved(value)) return;
  if (typeof value !== 'string' || !pattern.test(value)) problems.push(describeProblem(field, value, allowed));
}

function checkKeyArn(problems: string[], field: string, value: string, partition: string, region: string, account: string, keyId: string): void {
  if (typeof value === 'string' && Token.isUnresolved(value)) return;
  const allowed = `a KMS key ARN "arn:${partition}:kms:${region}:${account}:key/<key ID>"${Token.isUnresolved(keyId) ? '' : ` with key ID ${JSON.stringify(keyId)}`}`;
  const m = typeof value === 'string' ? /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(value) : null;
  if (!m || m[1] !== partition || m[2] !== region || m[3] !== account || !KEY_ID_PATTERN.test(m[4]) || (!Token.isUnresolved(keyId) && m[4] !== keyId)) {
    problems.push(describeProblem(field, value, allowed));
  }
}

function checkTopicArn(problems: string[], field: string, value: string, partition: string, region: string): void {
  check(problems, field, value, new RegExp(`^arn:${partition}:sns:${region}:\\d{12}:[A-Za-z0-9_-]{1,256}$`),
    `an SNS standard topic ARN in the rule's Region, "arn:${partition}:sns:${region}:<account>:<name>" (EventBridge targets must be in the rule's Region)`);
}

function checkTopicKey(problems: string[], field: string, value: string, partition: string, region: string, props: KeyTamperAlarmsProps): void {
  if (Token.isUnresolved(value)) return;
  const allowed = `a customer managed KMS key ARN "arn:${partition}:kms:${region}:<account>:key/<key ID>" or alias ARN in the topic's Region, other than the Identity Center key and "alias/aws/sns" (EventBridge cannot use AWS managed keys)`;
  const m = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/.exec(value);
  const isIdcKey = value === props.keyArn || (m !== null && m[4] === 'key' && m[5] === props.keyId) || (props.replicas ?? []).some((r) => r.keyArn === value);
  if (!m || m[1] !== partition || m[2] !== region || (m[4] === 'alias' && m[5].startsWith('aws/')) || isIdcKey) {
    problems.push(describeProblem(field, value, allowed));
  }
}

function checkEventNames(problems: string[], field: string, names: readonly string[] | undefined): void {
  if (names === undefined) return;
  if (names.length === 0 || new Set(names).size !== names.length || names.some((n) => !EVENT_NAME_PATTERN.test(n))) {
    problems.push(describeProblem(field, names, EVENT_NAME_ALLOWED));
  }
}

/** The allowed endpoint shape per protocol. */
export function subscriptionEndpointAllowed(protocol: TamperAlarmProtocol, partition: string): string {
  switch (protocol) {
    case 'email':
      return 'an email address such as "secops@example.com"';
    case 'https':
      return 'an "https://" URL with a host';
    case 'sqs':
      return `an SQS standard queue ARN "arn:${partition}:sqs:<region>:<account>:<queue name>" (FIFO queues cannot subscribe to a standard topic)`;
    case 'lambda':
      return `a Lambda function ARN "arn:${partition}:lambda:<region>:<account>:function:<name>[:<alias or version>]"`;
  }
}

function endpointValid(protocol: TamperAlarmProtocol, endpoint: string, partition: string): boolean {
  switch (protocol) {
    case 'email':
      return EMAIL_PATTERN.test(endpoint);
    case 'https':
      try {
        const url = new URL(endpoint);
        return url.protocol === 'https:' && url.hostname !== '' && !/\s/.test(endpoint);
      } catch {
        return false;
      }
    case 'sqs':
      return new RegExp(`^arn:${partition}:sqs:[a-z]{2}(-[a-z]+)+-\\d{1,2}:\\d{12}:[A-Za-z0-9_-]{1,80}$`).test(endpoint);
    case 'lambda':
      return new RegExp(`^arn:${partition}:lambda:[a-z]{2}(-[a-z]+)+-\\d{1,2}:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$`).test(endpoint);
  }
}

function checkSubscriptions(problems: string[], subscriptions: readonly TamperAlarmSubscription[], partition: string): void {
  const seen = new Set<string>();
  subscriptions.forEach((s, i) => {
    const field = `topic.subscriptions[${i}]`;
    if (!TAMPER_ALARM_PROTOCOLS.includes(s.protocol)) {
      problems.push(describeProblem(`${field}.protocol`, s.protocol, `one of ${TAMPER_ALARM_PROTOCOLS.map((p) => `"${p}"`).join(', ')}`));
      return;
    }
    if (typeof s.endpoint !== 'string' || (!Token.isUnresolved(s.endpoint) && !endpointValid(s.protocol, s.endpoint, partition))) {
      problems.push(describeProblem(`${field}.endpoint`, s.endpoint, subscriptionEndpointAllowed(s.protocol, partition)));
    }
    if (s.rawMessageDelivery === true && s.protocol !== 'sqs' && s.protocol !== 'https') {
      problems.push(describeProblem(`${field}.rawMessageDelivery`, true, 'true only for "sqs" and "https" subscriptions'));
    }
    const key = `${s.protocol} ${s.endpoint}`;
    if (seen.has(key)) problems.push(describeProblem(field, { protocol: s.protocol, endpoint: s.endpoint }, 'each protocol and endpoint once'));
    seen.add(key);
  });
}

function checkReplicas(problems: string[], props: KeyTamperAlarmsProps, partition: string): void {
  const replicas = props.replicas ?? [];
  const regions = new Set<string>([props.region]);
  if (replicas.length > 0 && !Token.isUnresolved(props.keyId) && !props.keyId.startsWith('mrk-') && KEY_ID_PATTERN.test(props.keyId)) {
    problems.push(describeProblem('keyId', props.keyId, 'a multi-Region key ID ("mrk-...") when replicas are given'));
  }
  replicas.forEach((r, i) => {
    const field = `replicas[${i}]`;
    if (!REGION_PATTERN.test(r.region)) {
      problems.push(describeProblem(`${field}.region`, r.region, REGION_ALLOWED));
      return;
    }
    if (regions.has(r.region)) {
      problems.push(describeProblem(`${field}.region`, r.region, `a Region other than the key's Region and the other replicas' (${[...regions].map((x) => JSON.stringify(x)).join(', ')})`));
    }
    regions.add(r.region);
    checkKeyArn(problems, `${field}.keyArn`, r.keyArn, partition, r.region, props.account, props.keyId);
    if (props.existingTopicArn !== undefined && r.existingTopicArn === undefined) {
      problems.push(describeProblem(`${field}.existingTopicArn`, undefined, `an SNS topic ARN in ${JSON.stringify(r.region)}, because existingTopicArn is given (EventBridge targets must be in the rule's Region)`));
    }
    if (props.existingTopicArn === undefined && r.existingTopicArn !== undefined) {
      problems.push(describeProblem(`${field}.existingTopicArn`, r.existingTopicArn, 'nothing unless existingTopicArn is given for the key\'s Region too'));
    }
    if (r.existingTopicArn !== undefined) checkTopicArn(problems, `${field}.existingTopicArn`, r.existingTopicArn, partition, r.region);
    if (r.topicKmsMasterKeyArn === undefined && r.existingTopicArn === undefined && props.topic?.kmsMasterKeyArn !== undefined) {
      problems.push(describeProblem(`${field}.topicKmsMasterKeyArn`, undefined,
        `a KMS key ARN in ${JSON.stringify(r.region)}: the key Region's topic is encrypted, and a topic can only use a key in its own Region (an unencrypted replica-Region topic would be a silent gap)`));
    }
    if (r.topicKmsMasterKeyArn !== undefined) {
      if (r.existingTopicArn !== undefined) {
        problems.push(describeProblem(`${field}.topicKmsMasterKeyArn`, r.topicKmsMasterKeyArn, 'nothing when the replica uses an existing topic'));
      } else {
        checkTopicKey(problems, `${field}.topicKmsMasterKeyArn`, r.topicKmsMasterKeyArn, partition, r.region, props);
      }
    }
  });
}
