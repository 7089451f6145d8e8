import type { OneOrMany } from '../types';

/** A scalar or a list as a list: IAM treats `"x"` and `["x"]` alike. */
export function toList<T>(value: OneOrMany<T> | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** Condition values compare as strings: `true` == `"true"`, `10` == `"10"`. */
export function conditionValueText(value: string | number | boolean): string {
  return String(value);
}

/** Sorted, de-duplicated copy. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * An IAM unique ID as shown in a policy whose principal was deleted: a 4-letter upper-case prefix
 * (AROA role, AIDA user, AGPA group, AIPA instance profile, ANPA/ANVA policy, ASIA/AKIA keys) and
 * 17 more upper-case letters or digits, 21 characters in all.
 */
export const UNIQUE_ID_PATTERN = /^A[A-Z]{3}[A-Z0-9]{17}$/;

/** `arn:<partition>:iam::<account>:root`. */
export const ROOT_ARN_PATTERN = /^arn:([a-z][a-z0-9-]*):iam::(\d{12}):root$/;

export function rootArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

export const DEFAULT_PARTITION = 'aws';
