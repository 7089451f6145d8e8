import * as fs from 'fs';
import * as path from 'path';
import type { PolicyDocument, PolicyStatement } from '../../policy/types';

export const ACCOUNT = '111122223333';
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const STORE_ARN = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890`;

export function fixture(name: string): PolicyDocument {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8')) as PolicyDocument;
}

/** A deep, mutable copy for building variants. */
export function clone<T>(v: T): { -readonly [K in keyof T]: T[K] } & any {
  return JSON.parse(JSON.stringify(v));
}

export function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export const adminStatement: PolicyStatement = {
  Sid: 'Admin',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};

export const useStatement: PolicyStatement = {
  Sid: 'Use',
  Effect: 'Allow',
  Principal: { Service: ['sso.amazonaws.com', 'identitystore.amazonaws.com'] },
  Action: ['kms:Decrypt', 'kms:ReEncryptTo'],
  Resource: '*',
  Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, Bool: { 'aws:SecureTransport': true } },
};

/** The §1A baseline with its ToUseKey statement pinned to one instance and store (§1C). */
export function pinnedBaseline(): PolicyDocument {
  const d = clone(fixture('baseline-1a.json'));
  const use = d.Statement.find((s: PolicyStatement) => s.Sid === 'AllowIdentityCenterAndIdentityStoreToUseKey');
  use.Condition.StringLike = {
    'kms:EncryptionContext:aws:sso:instance-arn': [INSTANCE_ARN],
  };
  // Split per service so each is pinned to its own ARN.
  const store = clone(use);
  store.Sid = 'AllowIdentityStoreToUseKey';
  store.Principal = { Service: 'identitystore.amazonaws.com' };
  store.Condition.StringLike = { 'kms:EncryptionContext:aws:identitystore:identitystore-arn': STORE_ARN };
  use.Principal = { Service: 'sso.amazonaws.com' };
  d.Statement.push(store);
  return d;
}
