/**
 * The AWS API calls the live reader makes, by IAM action name. The drift role's least-privilege policy
 * (`iam/drift-readonly-policy.json`) must allow each of them; a test proves it against the endpoint's call log.
 */
export const LIVE_OPERATIONS = {
  describeKey: 'kms:DescribeKey',
  getKeyPolicy: 'kms:GetKeyPolicy',
  getKeyRotationStatus: 'kms:GetKeyRotationStatus',
  listAliases: 'kms:ListAliases',
  listResourceTags: 'kms:ListResourceTags',
  describeInstance: 'sso:DescribeInstance',
} as const;

export type LiveOperation = (typeof LIVE_OPERATIONS)[keyof typeof LIVE_OPERATIONS];

/** Every IAM action the live reader may call. */
export const LIVE_ACTIONS: readonly LiveOperation[] = Object.values(LIVE_OPERATIONS);
