import { isIdcCmkError, type IdcCmkError } from '../../../core/errors';
import { extractExpectedTarget, expectedTargetFromText, parseTerraformState, targetNameFromSource } from '../../../drift/state';
import { INSTANCE_ARN, KEY_ARN, POLICY, dynamic, encryptionRecord, fullState, keyAttributes, resource, targetRecord } from './state-fixture';

function errorOf(fn: () => unknown): IdcCmkError {
  try {
    fn();
  } catch (e) {
    if (isIdcCmkError(e)) return e;
    throw e;
  }
  throw new Error('expected an IdcCmkError');
}

const parse = (doc: unknown, source = 'terraform.prod-eu.tfstate') => parseTerraformState(JSON.stringify(doc), source);

describe('parseTerraformState', () => {
  test('reads a format-4 state into one record per instance, with module and index addresses', () => {
    const state = parse({
      version: 4,
      lineage: 'l',
      resources: [
        resource('aws_kms_key', 'key', keyAttributes(), { module: 'module.idc' }),
        { mode: 'managed', type: 'aws_kms_alias', name: 'a', instances: [{ index_key: 'x', attributes: { name: 'alias/x' } }, { index_key: 0, attributes: {} }] },
        { mode: 'data', type: 'aws_caller_identity', name: 'me', instances: [{ attributes: {} }] },
      ],
    });
    expect(state.records.map((r) => r.address)).toEqual([
      'module.idc.aws_kms_key.key',
      'aws_kms_alias.a["x"]',
      'aws_kms_alias.a[0]',
      'data.aws_caller_identity.me',
    ]);
    expect(state.lineage).toBe('l');
  });

  test.each([
    ['empty', 'STATE_INVALID', '', /is empty/],
    ['whitespace', 'STATE_INVALID', '  \n', /is empty/],
    ['corrupt', 'STATE_INVALID', '{"version": 4, "resources": [', /not valid JSON/],
    ['foreign object', 'STATE_FOREIGN', JSON.stringify({ name: 'pkg', version: '1.0.0' }), /not a Terraform state/],
    ['foreign array', 'STATE_FOREIGN', '[1,2]', /not a Terraform state/],
    ['version 3', 'STATE_INVALID', JSON.stringify({ version: 3, terraform_version: '0.11.14', modules: [] }), /format version 3/],
  ])('%s -> %s naming the source', (_name, code, text, message) => {
    const e = errorOf(() => parseTerraformState(text, 'states/terraform.x.tfstate'));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).toContain('states/terraform.x.tfstate');
  });

  test('malformed resources: one detail per problem', () => {
    const e = errorOf(() => parse({ version: 4, lineage: 'l', resources: [{ mode: 'managed', type: 'aws_kms_key', instances: 'no' }] }));
    expect(e.code).toBe('STATE_INVALID');
    expect(e.details).toEqual(expect.arrayContaining([expect.stringMatching(/^resources\.0\.name:/), expect.stringMatching(/^resources\.0\.instances:/)]));
    expect(e.details).toHaveLength(2);
  });
});

describe('extractExpectedTarget', () => {
  test('finds the key, policy, aliases, replica and both records', () => {
    const t = extractExpectedTarget(parse(fullState()), 'terraform.prod-eu.tfstate');
    expect(t).toMatchObject({
      target: 'prod-eu',
      stateSource: 'terraform.prod-eu.tfstate',
      account: '111122223333',
      region: 'eu-west-1',
      partition: 'aws',
      instanceArn: INSTANCE_ARN,
      identityStoreId: 'd-1234567890',
      key: {
        address: 'aws_kms_key.key',
        keyId: 'mrk-1111',
        arn: KEY_ARN,
        account: '111122223333',
        region: 'eu-west-1',
        multiRegion: true,
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        enabled: true,
        rotationEnabled: true,
        rotationPeriodInDays: 365,
        policy: POLICY,
        policyAddress: 'aws_kms_key.key',
        tags: { Owner: 'platform' },
        tagsAll: { ManagedBy: 'idc-cmk', Owner: 'platform' },
      },
      encryption: { address: 'terraform_data.encryption', keyType: 'CUSTOMER_MANAGED_KEY', kmsKeyArn: KEY_ARN, instanceArn: INSTANCE_ARN },
    });
    expect(t.aliases).toEqual([
      { address: 'aws_kms_alias.alias', name: 'alias/idc', targetKeyId: 'mrk-1111', region: 'eu-west-1' },
      { address: 'aws_kms_alias.alias_replica', name: 'alias/idc', targetKeyId: 'mrk-1111', region: 'eu-central-1' },
    ]);
    expect(t.replicas).toEqual([expect.objectContaining({ address: 'aws_kms_replica_key.replica', region: 'eu-central-1', enabled: true, policy: POLICY })]);
  });

  test('terraform_data input as a plain object works like the dynamic value', () => {
    const doc = fullState([resource('aws_kms_key', 'key', keyAttributes()), resource('terraform_data', 't', { input: targetRecord({ target: 'plain' }) })]);
    expect(extractExpectedTarget(parse(doc), 's').target).toBe('plain');
  });

  test('a separate aws_kms_key_policy wins over the key attribute; region parsed from the ARN', () => {
    const doc = fullState([
      resource('aws_kms_key', 'key', keyAttributes({ policy: '', region: undefined })),
      resource('aws_kms_key_policy', 'policy', { key_id: 'mrk-1111', policy: POLICY }),
    ]);
    const t = extractExpectedTarget(parse(doc), 'terraform.dev.tfstate');
    expect(t.key.policyAddress).toBe('aws_kms_key_policy.policy');
    expect(t.key.region).toBe('eu-west-1');
    expect(t.target).toBe('dev'); // no target record: from the file name
  });

  test('no key and no target record -> STATE_NO_RESOURCES', () => {
    const e = errorOf(() => extractExpectedTarget(parse(fullState([resource('aws_s3_bucket', 'b', { bucket: 'x' })])), 'other.tfstate'));
    expect(e.code).toBe('STATE_NO_RESOURCES');
    expect(e.message).toContain('other.tfstate');
  });

  test('an empty (destroyed) state -> STATE_NO_RESOURCES', () => {
    expect(errorOf(() => extractExpectedTarget(parse({ version: 4, lineage: 'l', resources: [] }), 's')).code).toBe('STATE_NO_RESOURCES');
  });

  test('two keys: the one the encryption record points at', () => {
    const other = keyAttributes({ arn: 'arn:aws:kms:eu-west-1:111122223333:key/other', key_id: 'other' });
    const doc = fullState([
      resource('aws_kms_key', 'other', other),
      resource('aws_kms_key', 'key', keyAttributes()),
      resource('terraform_data', 'e', { input: dynamic(encryptionRecord()) }),
    ]);
    expect(extractExpectedTarget(parse(doc), 's').key.address).toBe('aws_kms_key.key');
  });

  test('two keys and no pointer -> STATE_INVALID listing both', () => {
    const doc = fullState([resource('aws_kms_key', 'a', keyAttributes()), resource('aws_kms_key', 'b', keyAttributes({ arn: 'arn:aws:kms:eu-west-1:1:key/b', key_id: 'b' }))]);
    const e = errorOf(() => extractExpectedTarget(parse(doc), 's'));
    expect(e.code).toBe('STATE_INVALID');
    expect(e.details).toHaveLength(2);
  });

  test.each([
    ['no policy (its comparison would be skipped)', { policy: undefined }, /replica\.policy: got nothing; allowed: the replica key policy JSON/],
    ['no enabled flag', { enabled: undefined }, /replica\.enabled: got nothing; allowed: true or false/],
  ])('a replica with %s is STATE_INVALID', (_name, overrides, detail) => {
    const doc = fullState();
    const resources = doc.resources as Array<{ type: string; instances: Array<{ attributes: Record<string, unknown> }> }>;
    const replica = resources.find((r) => r.type === 'aws_kms_replica_key')!.instances[0]!.attributes;
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete replica[k];
    const e = errorOf(() => extractExpectedTarget(parse(doc), 's'));
    expect(e.code).toBe('STATE_INVALID');
    expect(e.details).toEqual([expect.stringMatching(detail)]);
  });

  test('invalid records: one detail per bad field', () => {
    const doc = fullState([
      resource('aws_kms_key', 'key', keyAttributes()),
      resource('terraform_data', 'e', { input: dynamic(encryptionRecord({ key_type: 'SOMETHING', region: 5 })) }),
    ]);
    const e = errorOf(() => extractExpectedTarget(parse(doc), 's'));
    expect(e.code).toBe('STATE_INVALID');
    expect(e.details).toEqual([expect.stringMatching(/input\.region: got 5/), expect.stringMatching(/input\.key_type: got "SOMETHING"/)]);
  });

  test.each([
    ['no policy', { policy: undefined }, /\.policy: got nothing; allowed: the key policy JSON/],
    ['a policy that is not a string', { policy: 5 }, /\.policy: got 5; allowed: the key policy JSON/],
    ['an empty policy', { policy: '' }, /\.policy: got ""; allowed: the key policy JSON/],
    ['rotation that is not a boolean', { enable_key_rotation: 'yes' }, /\.enable_key_rotation: got "yes"; allowed: true or false/],
    ['no multi_region (it would read as a single-Region key)', { multi_region: undefined }, /\.multi_region: got nothing; allowed: true or false/],
    ['no enable_key_rotation', { enable_key_rotation: undefined }, /\.enable_key_rotation: got nothing; allowed: true or false/],
    ['no is_enabled (it would read as enabled)', { is_enabled: null }, /\.is_enabled: got null; allowed: true or false/],
  ])('a key with %s is STATE_INVALID (never compared as in sync)', (_name, overrides, detail) => {
    const doc = fullState([resource('aws_kms_key', 'key', keyAttributes(overrides))]);
    const e = errorOf(() => extractExpectedTarget(parse(doc), 's'));
    expect(e.code).toBe('STATE_INVALID');
    expect(e.details).toEqual([expect.stringMatching(detail)]);
  });

  test('expectedTargetFromText parses and extracts, using the source-derived target name as fallback', () => {
    const t = expectedTargetFromText({ source: 'stdin', text: JSON.stringify(fullState([resource('aws_kms_key', 'key', keyAttributes())])), target: 'from-key' });
    expect(t.target).toBe('from-key');
  });
});

test.each([
  ['terraform.prod-eu.tfstate', 'prod-eu'],
  ['states/prod.tfstate', 'prod'],
  ['s3://bucket/idc/prod-us/terraform.tfstate', 'prod-us'],
  ['env:/staging/idc/dev.tfstate', 'dev'],
])('targetNameFromSource(%s) = %s', (source, name) => {
  expect(targetNameFromSource(source)).toBe(name);
});
