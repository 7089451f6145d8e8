import { stringify } from 'yaml';
import { IdcCmkError, isIdcCmkError } from '../../core/errors';
import { parseRolloutConfig } from '../../config/load';
import type { RolloutConfig } from '../../config/types';

/** A valid target; tests override fields. */
export const ACME = {
  name: 'acme-prod',
  account: '111111111111',
  region: 'us-east-1',
  instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
  identityStoreId: 'd-1111111111',
  organizationId: 'o-aaaaaaaaaa',
};

export const GLOBEX = {
  name: 'globex-prod',
  account: '222222222222',
  region: 'eu-west-1',
  instanceArn: 'arn:aws:sso:::instance/ssoins-2222222222222222',
  identityStoreId: 'd-2222222222',
  organizationId: 'o-bbbbbbbbbb',
};

/** A rollout file as YAML text. */
export function rollout(targets: readonly object[], defaults?: object, extra: object = {}): string {
  return stringify({ version: 1, ...(defaults ? { defaults } : {}), targets, ...extra });
}

export function parse(text: string): RolloutConfig {
  return parseRolloutConfig(text, 'test.yaml');
}

/** The CONFIG_INVALID error a text raises (fails the test when it parses). */
export function problemsOf(text: string): IdcCmkError {
  try {
    parse(text);
  } catch (e) {
    if (isIdcCmkError(e)) return e;
    throw e;
  }
  throw new Error('expected the rollout file to be invalid');
}
