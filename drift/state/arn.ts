/** Small ARN helpers for state attributes (no SDK). */

export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  /** Everything after the fifth colon, e.g. `key/1234...` or `alias/idc`. */
  readonly resource: string;
}

export function parseArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(':'),
  };
}

/** `arn:aws:kms:eu-west-1:111122223333:key/abcd` -> `abcd`; a bare key ID is returned unchanged. */
export function keyIdOf(keyIdOrArn: string): string {
  const arn = parseArn(keyIdOrArn);
  if (arn && arn.resource.startsWith('key/')) return arn.resource.slice('key/'.length);
  return keyIdOrArn;
}
