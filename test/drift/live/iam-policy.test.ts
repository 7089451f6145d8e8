import { readFileSync } from 'fs';
import { join } from 'path';
import { LIVE_ACTIONS } from '../../../drift/live';

interface Statement { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }
const policy = JSON.parse(readFileSync(join(__dirname, '../../../iam/drift-readonly-policy.json'), 'utf8')) as { Version: string; Statement: Statement[] };
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('iam/drift-readonly-policy.json', () => {
  test('allows only read actions, no wildcards, no Deny tricks', () => {
    expect(policy.Version).toBe('2012-10-17');
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      for (const a of actions(s)) {
        expect(a).not.toMatch(/\*/);
        expect({ a, read: /^(kms:(Describe|Get|List)|sso:Describe|s3:(GetObject|ListBucket)$)/.test(a) || a === 'kms:Decrypt' }).toEqual({ a, read: true });
      }
    }
  });

  test('kms:Decrypt only through Identity Center (what DescribeInstance needs on a CMK instance)', () => {
    const decrypt = policy.Statement.filter((s) => actions(s).includes('kms:Decrypt'));
    expect(decrypt).toHaveLength(1);
    expect(decrypt[0].Condition?.StringLike?.['kms:ViaService']).toBe('sso.*.amazonaws.com');
  });

  test('covers every API the live reader calls (the e2e test checks the call log too)', () => {
    const allowed = new Set(policy.Statement.flatMap(actions));
    for (const a of LIVE_ACTIONS) expect({ a, allowed: allowed.has(a) }).toEqual({ a, allowed: true });
  });
});

test('iam/drift-central-policy.json: the CI role may only assume the target accounts\' drift roles and read state', () => {
  const central = JSON.parse(readFileSync(join(__dirname, '../../../iam/drift-central-policy.json'), 'utf8')) as { Statement: Statement[] };
  const all = central.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  expect(all.sort()).toEqual(['s3:GetObject', 's3:ListBucket', 'sts:AssumeRole']);
  const assume = central.Statement.find((s) => s.Action === 'sts:AssumeRole')!;
  expect(assume.Resource).toBe('arn:aws:iam::*:role/idc-cmk-drift');
  expect(central.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
});
