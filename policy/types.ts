/**
 * The IAM policy document model shared by the construct library (which builds key policies),
 * the drift comparer (which compares them for meaning) and the encryption pre-flight (which evaluates
 * them). Pure types: nothing here loads cdktf or the AWS SDK.
 *
 * Field names are AWS's JSON names, so a parsed live policy and a built one have the same shape.
 */

export type OneOrMany<T> = T | readonly T[];

export type Effect = 'Allow' | 'Deny';

/** A condition value as written in JSON: strings, or booleans and numbers that IAM compares as strings. */
export type ConditionValue = string | boolean | number;

/** `{ "StringEquals": { "aws:SourceAccount": "111122223333" } }`: operator -> condition key -> values. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, OneOrMany<ConditionValue>>>>>;

/** `"*"`, or principals by type: AWS (accounts, roles, users, `*`), Service, Federated, CanonicalUser. */
export type PolicyPrincipal =
  | '*'
  | Readonly<{
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
      CanonicalUser?: OneOrMany<string>;
    }>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Principal?: PolicyPrincipal;
  readonly NotPrincipal?: PolicyPrincipal;
  readonly Action?: OneOrMany<string>;
  readonly NotAction?: OneOrMany<string>;
  readonly Resource?: OneOrMany<string>;
  readonly NotResource?: OneOrMany<string>;
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17' | '2008-10-17';
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** The only policy language version we write. */
export const POLICY_VERSION = '2012-10-17' as const;

/** KMS's limit on a key policy document, in bytes. */
export const KEY_POLICY_MAX_BYTES = 32_768;
