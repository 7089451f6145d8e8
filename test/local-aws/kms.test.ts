import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DeleteAliasCommand, DescribeKeyCommand,
  DisableKeyCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand, GetKeyPolicyCommand,
  GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListKeysCommand, ListResourceTagsCommand,
  paginateListAliases, paginateListResourceTags, PutKeyPolicyCommand, ReplicateKeyCommand, ScheduleKeyDeletionCommand,
  TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { startLocalAws, type LocalAws } from '../../local-aws';
import { clients, errorOf, policyMeaning } from './helpers';

const MGMT = '111111111111';
const OTHER = '222222222222';
let local: LocalAws;
let kms: KMSClient;

beforeEach(async () => {
  local = await startLocalAws({ scenario: 'example-fleet' });
  kms = clients(local, MGMT).kms;
});
afterEach(async () => {
  kms.destroy();
  await local.stop();
});

async function newKey(input: CreateKeyCommandInput = {}) {
  return (await kms.send(new CreateKeyCommand(input))).KeyMetadata!;
}

const policy = (accountPrincipal: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: [accountPrincipal, 'arn:aws:iam::111111111111:role/idc-cmk-deploy'] }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Service', Effect: 'Allow', Principal: { Service: ['sso.amazonaws.com', 'identitystore.amazonaws.com'] }, Action: ['kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKeyWithoutPlaintext'], Resource: '*' },
    { Sid: 'Describe', Effect: 'Allow', Principal: { Service: 'sso.amazonaws.com' }, Action: ['kms:DescribeKey'], Resource: '*' },
  ],
});

describe('keys', () => {
  test('CreateKey returns full KeyMetadata in the caller account and Region; DescribeKey finds it by ID, ARN, alias and alias ARN', async () => {
    const meta = await newKey({ Description: 'idc', Tags: [{ TagKey: 'team', TagValue: 'iam' }] });
    expect(meta).toMatchObject({
      AWSAccountId: MGMT, KeyState: 'Enabled', Enabled: true, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', MultiRegion: false, Description: 'idc', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    });
    expect(meta.Arn).toBe(`arn:aws:kms:us-east-1:${MGMT}:key/${meta.KeyId}`);
    expect(meta.CreationDate).toBeInstanceOf(Date);
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/idc', TargetKeyId: meta.KeyId }));
    for (const id of [meta.KeyId!, meta.Arn!, 'alias/idc', `arn:aws:kms:us-east-1:${MGMT}:alias/idc`]) {
      expect((await kms.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.Arn).toBe(meta.Arn);
    }
  });

  test('unknown key and unknown alias are NotFoundException with HTTP 400', async () => {
    const e = await errorOf(kms.send(new DescribeKeyCommand({ KeyId: '11111111-2222-4333-8444-555555555555' })));
    expect(e.name).toBe('NotFoundException');
    expect(e.$metadata?.httpStatusCode).toBe(400);
    expect((await errorOf(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })))).name).toBe('NotFoundException');
  });

  test('a key spec that does not allow the usage is a ValidationException naming both', async () => {
    const e = await errorOf(kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'ENCRYPT_DECRYPT' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toContain('HMAC_256');
  });

  test('ListKeys pages with a small Limit', async () => {
    const created = [await newKey(), await newKey(), await newKey()];
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await kms.send(new ListKeysCommand({ Limit: 2, Marker: marker }));
      seen.push(...page.Keys!.map((k) => k.KeyArn!));
      expect(page.Keys!.length).toBeLessThanOrEqual(2);
      marker = page.Truncated ? page.NextMarker : undefined;
    } while (marker);
    expect(seen.sort()).toEqual(created.map((k) => k.Arn!).sort());
  });

  test('state transitions: disable, enable, schedule deletion (DeletionDate), refuse changes while pending, cancel to Disabled, delete when due', async () => {
    const { KeyId, Arn } = await newKey();
    await kms.send(new DisableKeyCommand({ KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await kms.send(new EnableKeyCommand({ KeyId }));
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
    expect(meta.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000);
    const e = await errorOf(kms.send(new EnableKeyCommand({ KeyId })));
    expect(e.name).toBe('KMSInvalidStateException');
    expect(e.message).toContain('pending deletion');
    await kms.send(new CancelKeyDeletionCommand({ KeyId }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled' });
    expect((await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.DeletionDate).toBeUndefined();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }));
    local.advanceClock(8 * 86_400_000);
    expect((await errorOf(kms.send(new DescribeKeyCommand({ KeyId })))).name).toBe('NotFoundException');
  });

  test.each([7, 30])('ScheduleKeyDeletion accepts a window of %i days', async (days) => {
    const { KeyId } = await newKey();
    await expect(kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: days }))).resolves.toMatchObject({ PendingWindowInDays: days });
  });

  test.each([6, 31])('ScheduleKeyDeletion refuses a window of %i days', async (days) => {
    const { KeyId } = await newKey();
    expect((await errorOf(kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: days })))).name).toBe('ValidationException');
  });

  test('multi-Region: ReplicateKey adds a replica with the same key ID; both sides list each other', async () => {
    const primary = await newKey({ MultiRegion: true });
    expect(primary.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    const out = await kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' }));
    expect(out.ReplicaKeyMetadata).toMatchObject({ KeyId: primary.KeyId, MultiRegion: true, MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } });
    const eu = clients(local, MGMT, 'eu-west-1').kms;
    const replica = (await eu.send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!;
    expect(replica.Arn).toBe(`arn:aws:kms:eu-west-1:${MGMT}:key/${primary.KeyId}`);
    const again = (await kms.send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!;
    expect(again.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: primary.Arn, Region: 'us-east-1' },
      ReplicaKeys: [{ Arn: replica.Arn, Region: 'eu-west-1' }],
    });
    expect((await errorOf(kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' })))).name).toBe('AlreadyExistsException');
    eu.destroy();
  });
});

describe('rotation', () => {
  test('EnableKeyRotation with RotationPeriodInDays shows in GetKeyRotationStatus; DisableKeyRotation turns it off', async () => {
    const { KeyId, Arn } = await newKey();
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).toMatchObject({ KeyRotationEnabled: false });
    await kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: 180 }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId }));
    expect(status).toMatchObject({ KeyId: Arn, KeyRotationEnabled: true, RotationPeriodInDays: 180 });
    expect(status.NextRotationDate!.getTime()).toBeGreaterThan(Date.now() + 179 * 86_400_000);
    await kms.send(new DisableKeyRotationCommand({ KeyId }));
    expect(await kms.send(new GetKeyRotationStatusCommand({ KeyId }))).toMatchObject({ KeyRotationEnabled: false });
  });

  test.each([[89, false], [90, true], [2560, true], [2561, false]])('RotationPeriodInDays %i accepted: %s', async (days, ok) => {
    const { KeyId } = await newKey();
    const call = kms.send(new EnableKeyRotationCommand({ KeyId, RotationPeriodInDays: days }));
    if (ok) await expect(call).resolves.toBeDefined();
    else expect((await errorOf(call)).name).toBe('ValidationException');
  });
});

describe('aliases and tags', () => {
  test('alias lifecycle, duplicate, and ListAliases filtered by KeyId through paginateListAliases with Limit 1', async () => {
    const a = await newKey();
    const b = await newKey();
    for (const name of ['alias/one', 'alias/two', 'alias/three']) await kms.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: a.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/other', TargetKeyId: b.Arn }));
    expect((await errorOf(kms.send(new CreateAliasCommand({ AliasName: 'alias/one', TargetKeyId: b.KeyId })))).name).toBe('AlreadyExistsException');
    expect((await errorOf(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/x', TargetKeyId: b.KeyId })))).name).toBe('NotAuthorizedException');

    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListAliases({ client: kms, pageSize: 1 }, { KeyId: a.KeyId })) {
      pages++;
      names.push(...page.Aliases!.map((x) => x.AliasName!));
      expect(page.Aliases!.every((x) => x.TargetKeyId === a.KeyId)).toBe(true);
    }
    expect(names).toEqual(['alias/one', 'alias/three', 'alias/two']);
    expect(pages).toBe(3);

    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/two', TargetKeyId: b.KeyId }));
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/three' }));
    const all = (await kms.send(new ListAliasesCommand({}))).Aliases!.map((x) => `${x.AliasName}->${x.TargetKeyId}`);
    expect(all).toEqual([`alias/one->${a.KeyId}`, `alias/other->${b.KeyId}`, `alias/two->${b.KeyId}`]);
  });

  test('tags: TagResource, UntagResource and paginateListResourceTags with Limit 2', async () => {
    const { KeyId } = await newKey({ Tags: [{ TagKey: 'a', TagValue: '1' }] });
    await kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }, { TagKey: 'd', TagValue: '4' }, { TagKey: 'e', TagValue: '5' }] }));
    await kms.send(new UntagResourceCommand({ KeyId, TagKeys: ['d'] }));
    const tags: string[] = [];
    let pages = 0;
    for await (const page of paginateListResourceTags({ client: kms, pageSize: 2 }, { KeyId })) {
      pages++;
      expect(page.Tags!.length).toBeLessThanOrEqual(2);
      tags.push(...page.Tags!.map((t) => `${t.TagKey}=${t.TagValue}`));
    }
    expect(tags).toEqual(['a=1', 'b=2', 'c=3', 'e=5']);
    expect(pages).toBe(2);
    expect((await errorOf(kms.send(new TagResourceCommand({ KeyId, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] })))).name).toBe('TagException');
  });

  test('grants: CreateGrant then ListGrants', async () => {
    const { KeyId, Arn } = await newKey();
    const { GrantId } = await kms.send(new CreateGrantCommand({ KeyId, GranteePrincipal: 'arn:aws:iam::111111111111:role/app', Operations: ['Decrypt'] }));
    const grants = (await kms.send(new ListGrantsCommand({ KeyId }))).Grants!;
    expect(grants).toEqual([expect.objectContaining({ KeyId: Arn, GrantId, Operations: ['Decrypt'], GranteePrincipal: 'arn:aws:iam::111111111111:role/app' })]);
  });
});

describe('key policy as AWS returns it', () => {
  test('the policy comes back re-serialised: same meaning, different text, " : " separators, account ID rewritten to root ARN', async () => {
    const stored = policy('111111111111');
    const { KeyId } = await newKey({ Policy: stored });
    const got = (await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }))).Policy!;
    expect(got).not.toBe(stored);
    expect(got).toContain('"Version" : "2012-10-17"');
    expect(got).toContain('arn:aws:iam::111111111111:root');
    expect(got).not.toMatch(/"111111111111"/);
    expect(policyMeaning(got)).toBe(policyMeaning(stored));
    // Deterministic: the same read twice gives the same text.
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toBe(got);
  });

  test('a principal whose role was deleted comes back as its AROA unique ID', async () => {
    const { KeyId } = await newKey({ Policy: policy('arn:aws:iam::111111111111:root') });
    local.seed.deleteRole(MGMT, 'idc-cmk-deploy');
    const got = (await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy!;
    expect(got).not.toContain('role/idc-cmk-deploy');
    expect(got).toMatch(/"AROA[A-Z2-7]{17}"/);
    // Recreating the role with the same name does not restore it.
    local.seed.addRole(MGMT, 'idc-cmk-deploy', { trustedAccounts: ['333333333333'] });
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy).toMatch(/"AROA[A-Z2-7]{17}"/);
  });

  test('PutKeyPolicy replaces the policy; malformed JSON is MalformedPolicyDocumentException', async () => {
    const { KeyId } = await newKey();
    const replacement = policy('arn:aws:iam::111111111111:root');
    await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: replacement, PolicyName: 'default' }));
    expect(policyMeaning((await kms.send(new GetKeyPolicyCommand({ KeyId }))).Policy!)).toBe(policyMeaning(replacement));
    expect((await errorOf(kms.send(new PutKeyPolicyCommand({ KeyId, Policy: '{not json', PolicyName: 'default' })))).name).toBe('MalformedPolicyDocumentException');
  });

  test('an unknown Version or characters beyond Latin-1 are MalformedPolicyDocumentException, as KMS answers', async () => {
    const { KeyId } = await newKey();
    const good = JSON.parse(policy('arn:aws:iam::111111111111:root')) as { Version: string; Statement: Array<{ Sid?: string }> };
    const put = (doc: unknown) => errorOf(kms.send(new PutKeyPolicyCommand({ KeyId, Policy: JSON.stringify(doc), PolicyName: 'default' })));
    expect((await put({ ...good, Version: '2020-01-01' })).name).toBe('MalformedPolicyDocumentException');
    expect((await put({ ...good, Statement: good.Statement.map((st) => ({ ...st, Sid: 'チーム' })) })).name).toBe('MalformedPolicyDocumentException');
    await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: JSON.stringify({ ...good, Statement: good.Statement.map((st) => ({ ...st, Sid: 'Équipe' })) }), PolicyName: 'default' }));
  });
});

describe('cross-account rule', () => {
  test('GetKeyPolicy, ListAliases, ListResourceTags, GetKeyRotationStatus and PutKeyPolicy from another account are AccessDenied; DescribeKey by ARN works when the key policy allows it', async () => {
    const { KeyId, Arn } = await newKey();
    const other = clients(local, OTHER).kms;
    // Cross-account use needs the key policy's grant.
    expect((await errorOf(other.send(new DescribeKeyCommand({ KeyId: Arn })))).name).toBe('AccessDeniedException');
    const granted = JSON.parse(policy(MGMT)) as { Version: string; Statement: object[] };
    granted.Statement.push({ Sid: 'OtherDescribes', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'kms:DescribeKey', Resource: '*' });
    await kms.send(new PutKeyPolicyCommand({ KeyId, Policy: JSON.stringify(granted), PolicyName: 'default' }));
    expect((await other.send(new DescribeKeyCommand({ KeyId: Arn }))).KeyMetadata!.AWSAccountId).toBe(MGMT);
    const denied = [
      new GetKeyPolicyCommand({ KeyId: Arn }),
      new ListAliasesCommand({ KeyId: Arn }),
      new ListResourceTagsCommand({ KeyId: Arn }),
      new GetKeyRotationStatusCommand({ KeyId: Arn }),
      new PutKeyPolicyCommand({ KeyId: Arn, Policy: policy(OTHER) }),
    ];
    for (const command of denied) {
      const e = await errorOf(other.send(command as never));
      expect(e.name).toBe('AccessDeniedException');
    }
    // By bare key ID, another account's key simply does not exist.
    expect((await errorOf(other.send(new DescribeKeyCommand({ KeyId })))).name).toBe('NotFoundException');
    expect(local.callLog().filter((c) => c.errorType === 'AccessDeniedException').every((c) => c.accountId === OTHER)).toBe(true);
    other.destroy();
  });
});

describe('the key policy lockout safety check', () => {
  const narrowed = (roleName: string, extra: object[] = []) => JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'kms:*', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${MGMT}:role/${roleName}` } } },
      ...extra,
    ],
  });

  test('CreateKey and PutKeyPolicy refuse a policy the caller could not change again, as KMS does', async () => {
    // The example fleet's management-account credentials are an IAM user, not the role the policy names.
    const refused = await errorOf(kms.send(new CreateKeyCommand({ Policy: narrowed('idc-cmk-deploy') })));
    expect(refused.name).toBe('MalformedPolicyDocumentException');
    expect(refused.message).toContain('will not allow you to update the key policy in the future');
    const key = await newKey();
    expect((await errorOf(kms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId!, PolicyName: 'default', Policy: narrowed('x', [{ Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }]) })))).name)
      .toBe('MalformedPolicyDocumentException');
  });

  test('a Resource naming the account\'s keys passes CreateKey, as PutKeyPolicy (the check evaluates the new key\'s ARN)', async () => {
    const scoped = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: 'kms:*', Resource: `arn:aws:kms:us-east-1:${MGMT}:key/*` }] });
    const created = await kms.send(new CreateKeyCommand({ Policy: scoped }));
    expect(created.KeyMetadata!.KeyId).toBeDefined();
    await kms.send(new PutKeyPolicyCommand({ KeyId: created.KeyMetadata!.KeyId!, PolicyName: 'default', Policy: scoped }));
  });

  test('BypassPolicyLockoutSafetyCheck lets it through; an assumed role named in the policy passes', async () => {
    expect((await newKey({ Policy: narrowed('idc-cmk-deploy'), BypassPolicyLockoutSafetyCheck: true })).KeyId).toBeDefined();
    const tooling = clients(local, '333333333333').sts;
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const out = await tooling.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MGMT}:role/idc-cmk-deploy`, RoleSessionName: 'deploy' }));
    tooling.destroy();
    const asDeploy = clients(local, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! }).kms;
    try {
      expect((await asDeploy.send(new CreateKeyCommand({ Policy: narrowed('idc-cmk-deploy') }))).KeyMetadata!.KeyId).toBeDefined();
    } finally {
      asDeploy.destroy();
    }
  });
});

test('ReplicateKey applies the lockout check to the replica\'s policy too', async () => {
  const primary = await newKey({ MultiRegion: true });
  const lockout = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Nobody', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MGMT}:role/nobody` }, Action: 'kms:*', Resource: '*' }] });
  expect((await errorOf(kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId!, ReplicaRegion: 'us-west-2', Policy: lockout })))).name).toBe('MalformedPolicyDocumentException');
  expect((await kms.send(new ReplicateKeyCommand({ KeyId: primary.KeyId!, ReplicaRegion: 'us-west-2', Policy: lockout, BypassPolicyLockoutSafetyCheck: true }))).ReplicaKeyMetadata?.Arn).toMatch(/us-west-2/);
});
