import { compareTarget } from '../../../drift/compare';
import { parseIgnoreFile } from '../../../drift/ignore';
import type { TargetResult } from '../../../drift/model';
import { ACCOUNT, KEY_ID, expectedTarget, fail, liveTarget, metadata, ok, policyDoc, reserialised } from './fixtures';

const codes = (r: TargetResult) => r.findings.map((f) => f.code);

describe('compareTarget: in sync', () => {
  test('matching live target (policy re-serialised by AWS) -> in_sync, no findings, no diff', () => {
    const r = compareTarget(expectedTarget(), liveTarget());
    expect(r).toEqual({
      target: 'prod-eu',
      account: ACCOUNT,
      region: 'eu-west-1',
      stateSource: 'terraform.prod-eu.tfstate',
      status: 'in_sync',
      findings: [],
      errors: [],
      ignored: 0,
    });
  });
});

describe('key state', () => {
  test.each([
    ['Disabled', 'KEY_DISABLED', 'critical'],
    ['PendingReplicaDeletion', 'KEY_PENDING_REPLICA_DELETION', 'critical'],
    ['Unavailable', 'KEY_STATE_UNEXPECTED', 'high'],
  ])('%s -> %s', (keyState, code, severity) => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { metadata: ok(metadata({ keyState, enabled: false })) } }));
    expect(r.status).toBe('drifted');
    expect(r.findings).toEqual([expect.objectContaining({ code, severity, address: 'aws_kms_key.key', attribute: 'key_state', actual: keyState })]);
  });

  test('PendingDeletion carries the date', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { metadata: ok(metadata({ keyState: 'PendingDeletion', deletionDate: '2026-03-01T00:00:00.000Z' })) } }));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'KEY_PENDING_DELETION', severity: 'critical', message: expect.stringContaining('2026-03-01T00:00:00.000Z') })]);
  });

  test('key gone -> KEY_MISSING; the reads that failed because of it do not make the target unknown', () => {
    const r = compareTarget(
      expectedTarget(),
      liveTarget({
        key: {
          metadata: ok(null),
          policy: fail('kms:GetKeyPolicy', 'AWS_NOT_FOUND'),
          rotation: fail('kms:GetKeyRotationStatus', 'AWS_NOT_FOUND'),
          tags: fail('kms:ListResourceTags', 'AWS_NOT_FOUND'),
          // The live reader turns ListAliases' NotFound into "no aliases"; the expected ones still resolve.
          aliases: ok([]),
          expectedAliases: ok([{ name: 'alias/idc', targetKeyId: 'another-key' }, { name: 'alias/idc', targetKeyId: KEY_ID }]),
        },
      }),
    );
    expect(r.status).toBe('drifted');
    // The aliases are still checked: one now points at another key.
    expect(codes(r)).toEqual(['KEY_MISSING', 'ALIAS_MOVED']);
  });

  test('key gone and an alias read failing for another reason: unknown, KEY_MISSING still listed', () => {
    const r = compareTarget(
      expectedTarget(),
      liveTarget({ key: { metadata: ok(null), policy: fail('kms:GetKeyPolicy', 'AWS_NOT_FOUND'), rotation: fail('kms:GetKeyRotationStatus', 'AWS_NOT_FOUND'), tags: fail('kms:ListResourceTags', 'AWS_NOT_FOUND'), aliases: fail('kms:ListAliases', 'AWS_THROTTLED'), expectedAliases: fail('kms:ListAliases', 'AWS_THROTTLED') } }),
    );
    expect(r.status).toBe('unknown');
    expect(codes(r)).toEqual(['KEY_MISSING']);
  });

  test('a disabled key that state declares disabled is in sync', () => {
    const e = expectedTarget();
    const r = compareTarget({ ...e, key: { ...e.key, enabled: false } }, liveTarget({ key: { metadata: ok(metadata({ keyState: 'Disabled', enabled: false })) } }));
    expect(r.status).toBe('in_sync');
  });
});

describe('key properties', () => {
  test('spec, usage, multi-Region, origin and description each reported', () => {
    const live = metadata({ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', multiRegion: false, origin: 'EXTERNAL', description: 'changed' });
    const r = compareTarget(expectedTarget(), liveTarget({ key: { metadata: ok(live) } }));
    expect(codes(r).sort()).toEqual(['DESCRIPTION_CHANGED', 'KEY_ORIGIN_UNEXPECTED', 'KEY_SPEC_CHANGED', 'KEY_USAGE_CHANGED', 'MULTI_REGION_CHANGED']);
    expect(r.findings.find((f) => f.code === 'DESCRIPTION_CHANGED')).toMatchObject({ expected: 'Identity Center key', actual: 'changed', attribute: 'description' });
  });
});

describe('rotation', () => {
  test('off -> ROTATION_DISABLED (high)', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { rotation: ok({ enabled: false }) } }));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'ROTATION_DISABLED', severity: 'high', expected: true, actual: false })]);
  });
  test('another period -> ROTATION_PERIOD_CHANGED', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { rotation: ok({ enabled: true, periodInDays: 90 }) } }));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'ROTATION_PERIOD_CHANGED', expected: 365, actual: 90 })]);
  });
  test('rotation read denied -> unknown, not drift', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { rotation: fail('kms:GetKeyRotationStatus') } }));
    expect(r.status).toBe('unknown');
    expect(r.findings).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'AWS_ACCESS_DENIED', operation: 'kms:GetKeyRotationStatus' })]);
  });
});

describe('policy', () => {
  const withPolicy = (doc: ReturnType<typeof policyDoc>) => liveTarget({ key: { policy: ok(reserialised(doc)) } });

  test('a public statement added -> POLICY_WIDENED, critical, with the canonical diff', () => {
    const doc = policyDoc();
    doc.Statement.push({ Sid: 'Oops', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    const r = compareTarget(expectedTarget(), withPolicy(doc));
    expect(r.status).toBe('drifted');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_WIDENED', severity: 'critical', changeClass: 'security', address: 'aws_kms_key.key', attribute: 'policy.Oops' })]);
    expect(r.policyDiff?.address).toBe('aws_kms_key.key');
    expect(r.policyDiff?.actual).toContain('"Oops"');
    expect(r.policyDiff?.expected).not.toContain('"Oops"');
    expect(r.policyDiffs).toEqual([r.policyDiff]);
  });

  test('Identity Center use statement removed -> POLICY_IDC_ACCESS_REMOVED (outage)', () => {
    const doc = policyDoc();
    doc.Statement = doc.Statement.filter((s) => s.Sid !== 'IdentityCenterUseKey');
    const r = compareTarget(expectedTarget(), withPolicy(doc));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_IDC_ACCESS_REMOVED', severity: 'critical', changeClass: 'outage' })]);
  });

  test('Sid renamed only -> POLICY_SID_RENAMED (info)', () => {
    const doc = policyDoc();
    doc.Statement[0] = { ...doc.Statement[0], Sid: 'Renamed' };
    const r = compareTarget(expectedTarget(), withPolicy(doc));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'POLICY_SID_RENAMED', severity: 'info', changeClass: 'cosmetic' })]);
  });

  test('a role replaced by its unique ID -> POLICY_PRINCIPAL_DELETED', () => {
    const doc = policyDoc();
    doc.Statement[1] = { ...doc.Statement[1], Principal: { AWS: 'AROAEXAMPLEUNIQUEID12' } };
    const r = compareTarget(expectedTarget(), withPolicy(doc));
    expect(codes(r)).toContain('POLICY_PRINCIPAL_DELETED');
  });

  test('an unparsable live policy is unknown, not drift', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { policy: ok('{not json') } }));
    expect(r.status).toBe('unknown');
    expect(r.errors).toEqual([expect.objectContaining({ code: 'POLICY_INVALID', operation: 'kms:GetKeyPolicy' })]);
  });

  test('policy read denied: unknown, and drift found elsewhere is still listed', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { policy: fail('kms:GetKeyPolicy'), rotation: ok({ enabled: false }) } }));
    expect(r.status).toBe('unknown');
    expect(codes(r)).toEqual(['ROTATION_DISABLED']);
    expect(r.errors.map((e) => e.operation)).toEqual(['kms:GetKeyPolicy']);
  });
});

describe('aliases', () => {
  test('missing and moved, by Region', () => {
    const r = compareTarget(
      expectedTarget(),
      liveTarget({ key: { aliases: ok([]), expectedAliases: ok([{ name: 'alias/idc' }, { name: 'alias/idc', targetKeyId: 'mrk-other' }]) } }),
    );
    expect(r.findings).toEqual([
      expect.objectContaining({ code: 'ALIAS_MOVED', address: 'aws_kms_alias.alias_replica', expected: KEY_ID, actual: 'mrk-other', message: expect.stringContaining('eu-central-1') }),
      expect.objectContaining({ code: 'ALIAS_MISSING', address: 'aws_kms_alias.alias' }),
    ]);
  });

  test('an undeclared alias on the key -> ALIAS_UNEXPECTED', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { aliases: ok(['alias/idc', 'alias/zzz']) } }));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'ALIAS_UNEXPECTED', attribute: 'aliases.alias/zzz', actual: 'alias/zzz' })]);
  });
});

describe('tags', () => {
  test('missing, changed and unexpected (compared to tags_all)', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { tags: ok({ Owner: 'someone', LastScanned: '2026-01-01' }) } }));
    expect(r.findings.map((f) => [f.code, f.attribute])).toEqual([
      ['TAG_CHANGED', 'tags.Owner'],
      ['TAG_MISSING', 'tags.ManagedBy'],
      ['TAG_UNEXPECTED', 'tags.LastScanned'],
    ]);
  });

  test('ignoreTagKeys drops tag findings on those keys and counts them', () => {
    const r = compareTarget(expectedTarget(), liveTarget({ key: { tags: ok({ ManagedBy: 'idc-cmk', Owner: 'platform', LastScanned: 'x' }) } }), {
      ignoreTagKeys: ['Last*'],
    });
    expect(r).toMatchObject({ status: 'in_sync', findings: [], ignored: 1 });
  });
});

describe('replicas', () => {
  const replica = (over: Partial<ReturnType<typeof liveTarget>['replicas'][number]>) => liveTarget({ replicas: [{ ...liveTarget().replicas[0], ...over }] });

  test('gone -> REPLICA_MISSING', () => {
    const r = compareTarget(expectedTarget(), replica({ metadata: ok(null), policy: fail('kms:GetKeyPolicy', 'AWS_NOT_FOUND') }));
    expect(codes(r)).toEqual(['REPLICA_MISSING']);
    expect(r.status).toBe('drifted');
  });

  test('disabled, and its policy no longer lets Identity Center in', () => {
    const doc = policyDoc();
    doc.Statement = doc.Statement.filter((s) => s.Sid !== 'IdentityCenterUseKey');
    const r = compareTarget(expectedTarget(), replica({ metadata: ok(metadata({ keyState: 'Disabled', enabled: false })), policy: ok(JSON.stringify(doc)) }));
    expect(codes(r).sort()).toEqual(['REPLICA_DISABLED', 'REPLICA_POLICY_IDC_ACCESS_REMOVED']);
    expect(r.policyDiff).toBeUndefined();
    expect(r.policyDiffs?.map((d) => d.address)).toEqual(['aws_kms_replica_key.replica']);
  });

  test('a replica the live half did not read -> unknown', () => {
    expect(compareTarget(expectedTarget(), liveTarget({ replicas: [] })).status).toBe('unknown');
  });
});

describe('instance encryption', () => {
  const instance = (over: Record<string, unknown>) =>
    liveTarget({ instance: ok({ instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: expectedTarget().key.arn, encryptionStatus: 'ENABLED', ...over }) });

  test.each([
    [{ keyType: 'AWS_OWNED_KMS_KEY', kmsKeyArn: undefined }, 'INSTANCE_SWITCHED_TO_AWS_OWNED_KEY', 'critical'],
    [{ kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/other' }, 'INSTANCE_USES_OTHER_KEY', 'critical'],
    [{ encryptionStatus: 'UPDATING' }, 'INSTANCE_ENCRYPTION_UPDATING', 'medium'],
  ])('%j -> %s', (over, code, severity) => {
    const r = compareTarget(expectedTarget(), instance(over));
    expect(r.findings).toEqual([expect.objectContaining({ code, severity, address: 'terraform_data.encryption' })]);
  });

  test('an update in progress towards the AWS owned key (or another key) is the switch itself: critical, next to "in progress"', () => {
    const back = compareTarget(expectedTarget(), instance({ encryptionStatus: 'UPDATING', keyType: 'AWS_OWNED_KMS_KEY', kmsKeyArn: undefined }));
    expect(back.findings.map((x) => [x.code, x.severity])).toEqual([
      ['INSTANCE_SWITCHED_TO_AWS_OWNED_KEY', 'critical'],
      ['INSTANCE_ENCRYPTION_UPDATING', 'medium'],
    ]);
    expect(back.findings[0]!.message).toContain('update in progress');
    const other = compareTarget(expectedTarget(), instance({ encryptionStatus: 'UPDATING', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/other' }));
    expect(codes(other).sort()).toEqual(['INSTANCE_ENCRYPTION_UPDATING', 'INSTANCE_USES_OTHER_KEY']);
  });

  test('UPDATE_FAILED carries the reason', () => {
    const r = compareTarget(expectedTarget(), instance({ encryptionStatus: 'UPDATE_FAILED', encryptionStatusReason: 'KMS key access denied' }));
    expect(r.findings).toEqual([expect.objectContaining({ code: 'INSTANCE_ENCRYPTION_UPDATE_FAILED', severity: 'critical', message: expect.stringContaining('KMS key access denied') })]);
  });

  test('instance gone -> INSTANCE_MISSING; DescribeInstance denied -> unknown', () => {
    expect(codes(compareTarget(expectedTarget(), liveTarget({ instance: ok(null) })))).toEqual(['INSTANCE_MISSING']);
    const r = compareTarget(expectedTarget(), liveTarget({ instance: fail('sso:DescribeInstance') }));
    expect(r).toMatchObject({ status: 'unknown', findings: [] });
  });

  test('no encryption record in state: the instance is not checked', () => {
    const r = compareTarget(expectedTarget({ encryption: undefined }), liveTarget({ instance: undefined }));
    expect(r.status).toBe('in_sync');
  });
});

describe('ignore rules inside compareTarget', () => {
  test('ignored findings are counted, and a target with only ignored findings is in sync', () => {
    const ignore = parseIgnoreFile(
      ['rules:', '  - target: "prod-*"', '    codes: [DESCRIPTION_CHANGED]', '    reason: set by hand', '  - attributes: ["tags.Owner"]'].join('\n'),
      '.idc-cmk-ignore.yaml',
    );
    const live = liveTarget({ key: { metadata: ok(metadata({ description: 'x' })), tags: ok({ ManagedBy: 'idc-cmk', Owner: 'x' }) } });
    expect(compareTarget(expectedTarget(), live, { ignore })).toMatchObject({ status: 'in_sync', findings: [], ignored: 2 });
    expect(compareTarget(expectedTarget({ target: 'dev' }), { ...live, target: 'dev' }, { ignore })).toMatchObject({ status: 'drifted', ignored: 1 });
  });
});

test('findings are sorted by severity, then code, then address', () => {
  const r = compareTarget(
    expectedTarget(),
    liveTarget({
      key: { rotation: ok({ enabled: false }), tags: ok({ Owner: 'platform', ManagedBy: 'idc-cmk', Extra: '1' }), metadata: ok(metadata({ keyState: 'Disabled', description: 'd' })) },
    }),
  );
  expect(codes(r)).toEqual(['KEY_DISABLED', 'ROTATION_DISABLED', 'DESCRIPTION_CHANGED', 'TAG_UNEXPECTED']);
});

describe('POLICY_WIDENED severity', () => {
  const { widenedSeverity } = require('../../../drift/compare/checks/policy') as typeof import('../../../drift/compare/checks/policy');
  const { comparePolicies } = require('../../../policy/compare') as typeof import('../../../policy/compare');
  const base = { Version: '2012-10-17' as const, Statement: [{ Sid: 'App', Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:role/app' }, Action: ['kms:Decrypt'], Resource: '*' }] };
  const severities = (mutate: (s: Record<string, unknown>[]) => void) => {
    const actual = JSON.parse(JSON.stringify(base)) as { Version: '2012-10-17'; Statement: Record<string, unknown>[] };
    mutate(actual.Statement);
    return comparePolicies(base, actual as never).differences.filter((d) => d.changeClass === 'security').map((d) => widenedSeverity(d));
  };
  test.each([
    ['Principal -> NotPrincipal', (s: Record<string, unknown>[]) => { s[0]!.NotPrincipal = s[0]!.Principal; delete s[0]!.Principal; }, 'critical'],
    ['Action -> NotAction', (s: Record<string, unknown>[]) => { s[0]!.NotAction = s[0]!.Action; delete s[0]!.Action; }, 'critical'],
    ['an added statement giving another account PutKeyPolicy', (s: Record<string, unknown>[]) => { s.push({ Sid: 'Foreign', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: ['kms:PutKeyPolicy'], Resource: '*' }); }, 'critical'],
    ['an added statement giving another account DescribeKey only', (s: Record<string, unknown>[]) => { s.push({ Sid: 'Reader', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: ['kms:DescribeKey'], Resource: '*' }); }, 'high'],
    ['a metadata read added to a statement', (s: Record<string, unknown>[]) => { s[0]!.Action = ['kms:Decrypt', 'kms:DescribeKey']; }, 'high'],
    ['PutKeyPolicy added to an existing statement (as critical as in a new one)', (s: Record<string, unknown>[]) => { s[0]!.Action = ['kms:Decrypt', 'kms:PutKeyPolicy']; }, 'critical'],
    ['Encrypt added to an existing statement', (s: Record<string, unknown>[]) => { s[0]!.Action = ['kms:Decrypt', 'kms:Encrypt']; }, 'critical'],
  ])('%s: %s', (_name, mutate, severity) => {
    expect(severities(mutate)).toEqual([severity]);
  });
});
