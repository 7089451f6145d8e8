import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { configPathFromEnv, loadRolloutConfig, parseJsonRolloutFile } from '../../config/load';
import { DELETION_WINDOW_MAX_DAYS, DELETION_WINDOW_MIN_DAYS, ROTATION_PERIOD_MAX_DAYS, ROTATION_PERIOD_MIN_DAYS } from '../../config/constants';
import { ACME, GLOBEX, parse, problemsOf, rollout } from './fixtures';

describe('the example rollout file', () => {
  test('loads with two targets in two accounts', () => {
    const config = loadRolloutConfig(resolve(__dirname, '../../idc-cmk.yaml'));
    expect(config.targets.map((t) => [t.name, t.account, t.region, t.instanceArn, t.identityStoreId, t.organizationId])).toEqual([
      ['acme-prod', '111111111111', 'us-east-1', 'arn:aws:sso:::instance/ssoins-1111111111111111', 'd-1111111111', 'o-aaaaaaaaaa'],
      ['globex-prod', '222222222222', 'eu-west-1', 'arn:aws:sso:::instance/ssoins-2222222222222222', 'd-2222222222', 'o-bbbbbbbbbb'],
    ]);
    expect(config.targets.map((t) => t.assumeRole?.roleArn)).toEqual([
      'arn:aws:iam::111111111111:role/idc-cmk-deploy',
      'arn:aws:iam::222222222222:role/idc-cmk-deploy',
    ]);
    expect(config.targets.map((t) => t.drift.roleArn)).toEqual([
      'arn:aws:iam::111111111111:role/idc-cmk-drift',
      'arn:aws:iam::222222222222:role/idc-cmk-drift',
    ]);
  });
});

describe('reading the file', () => {
  test('a missing file is CONFIG_NOT_FOUND naming the path', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idc-cmk-')), 'none.yaml');
    expect(() => loadRolloutConfig(path)).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND', message: expect.stringContaining(path) }));
  });

  test('a file on disk is read and named as the source', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'idc-cmk-')), 'fleet.yaml');
    writeFileSync(path, rollout([ACME]));
    expect(loadRolloutConfig(path).source).toBe(path);
  });

  test('YAML syntax errors are CONFIG_INVALID with line and column', () => {
    const e = problemsOf('version: 1\nversion: 1\ntargets: [\n');
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.details[0]).toBe('line 2, column 1: Map keys must be unique (DUPLICATE_KEY)');
    expect(e.details.length).toBeGreaterThanOrEqual(2);
  });

  test('a rollout file written as JSON reads the same as its YAML (the JSON fast path)', () => {
    const defaults = { description: 'a "quoted": value, \\ too', tags: { Team: 'platform' }, drift: { roleArn: 'arn:{partition}:iam::{account}:role/idc-cmk-drift' } };
    const data = { version: 1, defaults, targets: [ACME, GLOBEX] };
    expect(parseJsonRolloutFile(JSON.stringify(data, null, 1))).toEqual(data);
    expect(parse(JSON.stringify(data, null, 1))).toEqual(parse(rollout([ACME, GLOBEX], defaults)));
  });

  test('JSON that repeats a key is not taken as JSON: the YAML parser refuses it with the line', () => {
    const text = `{\n "version": 1,\n "version": 1,\n "targets": ${JSON.stringify([ACME])}\n}`;
    expect(parseJsonRolloutFile(text)).toBeUndefined();
    expect(problemsOf(text).details[0]).toMatch(/^line 3, column 2: Map keys must be unique/);
  });

  test('an invalid JSON rollout file lists its problems with lines, like YAML', () => {
    const text = JSON.stringify({ version: 1, targets: [{ ...ACME, region: 'mars-1' }] }, null, 1);
    const e = problemsOf(text);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.details).toEqual([expect.stringMatching(/^targets\[0\]\.region: got "mars-1"; allowed: .*\(line \d+\)$/)]);
  });

  test('an empty file says a mapping is expected', () => {
    expect(problemsOf('').details).toEqual(['(file): got nothing; allowed: a mapping with version, defaults and targets']);
  });

  test('configPathFromEnv: IDC_CMK_CONFIG (relative to cwd) or idc-cmk.yaml', () => {
    expect(configPathFromEnv({}, '/repo')).toBe('/repo/idc-cmk.yaml');
    expect(configPathFromEnv({ IDC_CMK_CONFIG: 'fleets/eu.yaml' }, '/repo')).toBe('/repo/fleets/eu.yaml');
    expect(configPathFromEnv({ IDC_CMK_CONFIG: '/etc/idc.yaml' }, '/repo')).toBe('/etc/idc.yaml');
    expect(configPathFromEnv({ IDC_CMK_CONFIG: '' }, '/repo')).toBe('/repo/idc-cmk.yaml');
  });
});

describe('schema problems: every one listed with path, value received, what is allowed and line', () => {
  test('all problems of a file at once', () => {
    const text = rollout(
      [
        { ...ACME, name: 'Acme_Prod', account: '12345', rotationPeriodInDays: 30, colour: 'blue' },
        { ...GLOBEX, identityStoreId: 'd-xyz', instanceArn: 'arn:aws:sso:::instance/x', replicaRegions: ['mars-1'] },
      ],
      { tags: { 'aws:owner': 'x' }, encryption: { switch: 'yes' } },
    );
    const e = problemsOf(text);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toBe('test.yaml: 9 problems in the rollout file');
    expect(e.details).toEqual([
      expect.stringMatching(/^defaults\.tags\.aws:owner: got "aws:owner"; allowed: 1 to 128 letters.*not starting with aws: \(line 4\)$/),
      'defaults.encryption.switch: got "yes"; allowed: true or false (line 6)',
      'targets[0].name: got "Acme_Prod"; allowed: lowercase letters, digits and single hyphens, starting with a letter (it names the stack and its state), at most 64 characters (line 8)',
      'targets[0].account: got "12345"; allowed: 12 digits, as a string (quote it in YAML) (line 9)',
      'targets[0].rotationPeriodInDays: got 30; allowed: a whole number of days from 90 to 2560 (line 14)',
      expect.stringMatching(/^targets\[0\]\.colour: got "blue"; allowed: no such key; known keys here: name, account, instanceArn, identityStoreId, region, .* \(line 15\)$/),
      'targets[1].instanceArn: got "arn:aws:sso:::instance/x"; allowed: arn:<partition>:sso:::instance/ssoins- followed by 16 lowercase hexadecimal digits (line 19)',
      'targets[1].identityStoreId: got "d-xyz"; allowed: d- followed by 10 hexadecimal digits (e.g. d-1234567890) (line 20)',
      'targets[1].replicaRegions[0]: got "mars-1"; allowed: an AWS Region code such as us-east-1 (line 23)',
    ]);
  });

  test('an unquoted account number is a type problem that says to quote it', () => {
    const text = rollout([{ ...ACME }]).replace('"111111111111"', '111111111111');
    expect(problemsOf(text).details).toEqual(['targets[0].account: got 111111111111; allowed: 12 digits, as a string (quote it in YAML) (line 4)']);
  });

  test('a missing required field is "got nothing"', () => {
    const { identityStoreId: _omit, ...noStore } = ACME;
    expect(problemsOf(rollout([noStore])).details).toEqual([
      'targets[0].identityStoreId: got nothing; allowed: d- followed by 10 hexadecimal digits (e.g. d-1234567890) (line 3)',
    ]);
  });

  test('version and targets are required', () => {
    expect(problemsOf('version: 2\ntargets: []\n').details).toEqual([
      'version: got 2; allowed: 1 (line 1)',
      'targets: got []; allowed: a list of at least one target (line 2)',
    ]);
  });

  test('extra statements are checked as policy statements', () => {
    const e = problemsOf(rollout([{ ...ACME, extraStatements: [{ Sid: 'Audit-1', Effect: 'Maybe', Action: 'kms:Describe*' }] }]));
    expect(e.details).toEqual([
      expect.stringMatching(/^targets\[0\]\.extraStatements\[0\]\.Sid: got "Audit-1"; allowed: letters and digits/),
      expect.stringMatching(/^targets\[0\]\.extraStatements\[0\]\.Effect: got "Maybe"; allowed: Allow or Deny/),
    ]);
  });

  test.each([
    [ROTATION_PERIOD_MIN_DAYS - 1, false],
    [ROTATION_PERIOD_MIN_DAYS, true],
    [ROTATION_PERIOD_MAX_DAYS, true],
    [ROTATION_PERIOD_MAX_DAYS + 1, false],
    [365.5, false],
  ])('rotationPeriodInDays %p valid: %p', (days, valid) => {
    const text = rollout([{ ...ACME, rotationPeriodInDays: days }]);
    if (valid) expect(parse(text).targets[0]!.key.rotationPeriodInDays).toBe(days);
    else expect(problemsOf(text).details).toEqual([`targets[0].rotationPeriodInDays: got ${days}; allowed: a whole number of days from 90 to 2560 (line 9)`]);
  });

  test.each([
    [DELETION_WINDOW_MIN_DAYS - 1, false],
    [DELETION_WINDOW_MIN_DAYS, true],
    [DELETION_WINDOW_MAX_DAYS, true],
    [DELETION_WINDOW_MAX_DAYS + 1, false],
  ])('deletionWindowInDays %p valid: %p', (days, valid) => {
    const text = rollout([{ ...ACME, deletionWindowInDays: days }]);
    if (valid) expect(parse(text).targets[0]!.key.deletionWindowInDays).toBe(days);
    else expect(problemsOf(text).details).toEqual([`targets[0].deletionWindowInDays: got ${days}; allowed: a whole number of days from 7 to 30 (line 9)`]);
  });

  test.each([
    ['alias/identity-center', true],
    ['identity-center', true],
    ['alias/aws/sso', false],
    ['alias/has space', false],
  ])('alias %p valid: %p', (alias, valid) => {
    const text = rollout([{ ...ACME, aliases: [alias] }]);
    if (valid) expect(parse(text).targets[0]!.key.aliases).toEqual([alias]);
    else expect(problemsOf(text).details[0]).toMatch(/^targets\[0\]\.aliases\[0\]: got .*; allowed: letters, digits, \/ _ - \(alias\/ is added when missing; alias\/aws\/ is reserved for AWS\)/);
  });
});

describe('cross-field problems', () => {
  const only = (text: string) => problemsOf(text).details;

  test('duplicate names, instances and accounts name the first target', () => {
    expect(only(rollout([ACME, { ...GLOBEX, name: 'acme-prod', account: ACME.account, instanceArn: ACME.instanceArn }]))).toEqual([
      'targets[1].name: got "acme-prod"; allowed: a name no other target uses (targets[0] has it)',
      'targets[1].instanceArn: got "arn:aws:sso:::instance/ssoins-1111111111111111"; allowed: an instance no other target manages (targets[0] has it)',
      'targets[1].account: got "111111111111"; allowed: an account no other target uses: an account has at most one Identity Center instance (targets[0] has it)',
    ]);
  });

  test('a Region is required on the target or in defaults', () => {
    const { region: _r, ...noRegion } = ACME;
    expect(only(rollout([noRegion]))).toEqual([
      'targets[0].region: got nothing; allowed: an AWS Region code such as us-east-1, on the target or in defaults.region',
    ]);
    expect(parse(rollout([noRegion], { region: 'eu-central-1' })).targets[0]!.region).toBe('eu-central-1');
  });

  test('replica Regions: not the primary, each once; a multi-Region key', () => {
    expect(only(rollout([{ ...ACME, multiRegion: false, replicaRegions: ['us-east-1', 'eu-west-1', 'eu-west-1'] }]))).toEqual([
      'targets[0].replicaRegions[0]: got "us-east-1"; allowed: a Region other than the primary Region us-east-1',
      'targets[0].replicaRegions[2]: got "eu-west-1"; allowed: each Region once',
      'targets[0].multiRegion: got false; allowed: true (or unset): replicaRegions ["us-east-1","eu-west-1","eu-west-1"] need a multi-Region key',
    ]);
  });

  test('a problem from defaults names the defaults field and the target', () => {
    expect(only(rollout([ACME], { replicaRegions: ['us-east-1'] }))).toEqual([
      'defaults.replicaRegions[0] (target "acme-prod"): got "us-east-1"; allowed: a Region other than the primary Region us-east-1',
    ]);
  });

  test('deploy and drift roles must be in the target account', () => {
    expect(
      only(rollout([{ ...ACME, assumeRole: { roleArn: 'arn:aws:iam::999999999999:role/deploy' }, drift: { roleArn: 'arn:aws:iam::999999999999:role/drift' } }])),
    ).toEqual([
      'targets[0].assumeRole.roleArn: got "arn:aws:iam::999999999999:role/deploy"; allowed: a role in the target account 111111111111 (the provider only deploys there)',
      'targets[0].drift.roleArn: got "arn:aws:iam::999999999999:role/drift"; allowed: a role in the target account 111111111111 (GetKeyPolicy only works there)',
    ]);
  });

  test('partitions: instance ARN and principals match the Region', () => {
    expect(only(rollout([{ ...ACME, region: 'cn-north-1', auditors: ['arn:aws:iam::111111111111:role/audit'] }]))).toEqual([
      'targets[0].instanceArn: got "arn:aws:sso:::instance/ssoins-1111111111111111"; allowed: an instance ARN in partition aws-cn, the partition of Region cn-north-1',
      'targets[0].auditors[0]: got "arn:aws:iam::111111111111:role/audit"; allowed: an ARN in partition aws-cn',
    ]);
  });

  test('delegated admin accounts: not the management account, each once', () => {
    expect(only(rollout([{ ...ACME, delegatedAdminAccounts: ['111111111111', '333333333333', '333333333333'] }]))).toEqual([
      'targets[0].delegatedAdminAccounts[0]: got "111111111111"; allowed: an account other than the management account 111111111111',
      'targets[0].delegatedAdminAccounts[2]: got "333333333333"; allowed: each account once',
    ]);
  });

  test('organization statements need organizationId', () => {
    const { organizationId: _o, ...noOrg } = ACME;
    expect(only(rollout([{ ...noOrg, managedApplications: true }]))).toEqual([
      'targets[0].organizationId: got nothing; allowed: o- followed by 10 to 32 lowercase letters or digits: required when managedApplications is true',
    ]);
  });

  test('aliases once each, alias/ prefix or not', () => {
    expect(only(rollout([{ ...ACME, aliases: ['alias/idc', 'idc'] }]))).toEqual([
      'targets[0].aliases[1]: got "idc"; allowed: each alias once (alias/ is added when missing)',
    ]);
  });

  test('backend: exactly one kind; cloud needs a prefix or tags; one S3 locking method', () => {
    expect(only(rollout([{ ...ACME, backend: { local: {}, s3: { bucket: 'state-bucket' } } }]))).toEqual([
      'targets[0].backend: got ["local","s3"]; allowed: exactly one of local, s3, cloud',
    ]);
    expect(only(rollout([{ ...ACME, backend: { cloud: { organization: 'acme' } } }]))).toEqual([
      'targets[0].backend.cloud: got {}; allowed: exactly one of workspacePrefix or tags',
    ]);
    expect(only(rollout([{ ...ACME, backend: { s3: { bucket: 'state-bucket', dynamodbTable: 'locks', useLockfile: true } } }]))).toEqual([
      'targets[0].backend.s3.useLockfile: got true; allowed: false or unset when dynamodbTable is set (choose one locking method)',
    ]);
  });

  test('a schema problem in one target does not hide the cross-field problems of the others', () => {
    const problems = only(rollout([{ ...ACME, rotationPeriodInDays: 30 }, { ...GLOBEX, name: 'same' }, { ...GLOBEX, name: 'same', account: '333333333333', instanceArn: 'arn:aws:sso:::instance/ssoins-3333333333333333' }]));
    expect(problems).toEqual([
      expect.stringMatching(/^targets\[0\]\.rotationPeriodInDays: got 30; .*\(line \d+\)$/),
      'targets[2].name: got "same"; allowed: a name no other target uses (targets[1] has it)',
    ]);
  });

  test('encryption.providerVersion: a constraint no version satisfies is refused', () => {
    const native = (providerVersion: string) => rollout([{ ...ACME, encryption: { mode: 'native', providerVersion } }]);
    expect(only(native('>= 6.30.0, < 6.0.0'))).toEqual([
      'targets[0].encryption.providerVersion: got ">= 6.30.0, < 6.0.0"; allowed: a constraint some provider version satisfies (its lower bound is above its upper bound, so terraform init would fail)',
    ]);
    expect(only(native('~> 6.30.0, >= 6.31.0')).length).toBe(1);
    for (const ok of ['>= 6.30.0', '~> 6.30', '>= 6.30.0, < 7.0.0', '= 6.30.1', '>= 6.30.0, <= 6.30.0']) expect(() => parse(native(ok))).not.toThrow();
  });

  test('revertOnDestroy needs the switch', () => {
    expect(only(rollout([{ ...ACME, encryption: { switch: false, revertOnDestroy: true } }]))).toEqual([
      'targets[0].encryption.revertOnDestroy: got true; allowed: false or unset when encryption.switch is false (there is no switch to revert)',
    ]);
  });

  test('drift.ignore.codes: known finding codes only (a misspelt code would ignore nothing)', () => {
    expect(only(rollout([{ ...ACME, drift: { ignore: { codes: ['TAG_UNEXPECTED', 'KEY_MISING'] } } }]))).toEqual([
      'targets[0].drift.ignore.codes[1]: got "KEY_MISING"; allowed: a finding code from docs/drift.md, such as TAG_UNEXPECTED',
    ]);
  });

  test('two targets never share a state: a workspace name built from a prefix and a name', () => {
    const a = { ...ACME, name: 'a-prod' };
    const b = { ...GLOBEX, name: 'prod' };
    expect(only(rollout([{ ...a, backend: { cloud: { organization: 'acme', workspacePrefix: 'idc-' } } }, { ...b, backend: { cloud: { organization: 'acme', workspacePrefix: 'idc-a-' } } }]))).toEqual([
      'targets[1].backend: got "cloud app.terraform.io/acme/idc-a-prod"; allowed: a state no other target uses (targets[0] (a-prod) keeps its state there)',
    ]);
    expect(() => parse(rollout([{ ...a, backend: { local: { directory: 'states' } } }, { ...b, name: 'a-prod2' }], { backend: { local: { directory: './states/' } } }))).not.toThrow();
    expect(() => parse(rollout([{ ...a, backend: { cloud: { organization: 'acme', workspacePrefix: 'idc-' } } }, { ...b, backend: { cloud: { organization: 'other', workspacePrefix: 'idc-a-' } } }]))).not.toThrow();
  });
});

describe('defaults merging', () => {
  test('targets win; mappings merge key by key; lists replace', () => {
    const config = parse(
      rollout([{ ...ACME, tags: { Owner: 'acme', Env: 'prod' }, aliases: ['alias/acme'], encryption: { timeoutSeconds: 60 } }, GLOBEX], {
        description: 'shared',
        tags: { ManagedBy: 'idc-cmk', Env: 'default' },
        aliases: ['alias/identity-center'],
        encryption: { revertOnDestroy: true, mode: 'cli' },
        drift: { ignore: { tags: ['LastReviewed'] } },
      }),
    );
    const [acme, globex] = config.targets;
    expect(acme!.key.tags).toEqual({ ManagedBy: 'idc-cmk', Env: 'prod', Owner: 'acme' });
    expect(acme!.key.aliases).toEqual(['alias/acme']);
    expect(acme!.encryption).toEqual({ switch: true, revertOnDestroy: true, timeoutSeconds: 60, mode: 'cli' });
    expect(globex!.key).toMatchObject({ description: 'shared', tags: { ManagedBy: 'idc-cmk', Env: 'default' }, aliases: ['alias/identity-center'] });
    expect(globex!.encryption).toEqual({ switch: true, revertOnDestroy: true, timeoutSeconds: 900, mode: 'cli' });
    expect(globex!.drift.ignore).toEqual({ codes: [], tags: ['LastReviewed'], attributes: [] });
  });

  test('unset key settings stay undefined so the construct defaults apply', () => {
    const key = parse(rollout([ACME])).targets[0]!.key;
    expect(key).toEqual({
      replicaRegions: [],
      tags: {},
      delegatedAdminAccounts: [],
      auditors: [],
      extraStatements: [],
      description: undefined,
      multiRegion: undefined,
      rotation: undefined,
      rotationPeriodInDays: undefined,
      deletionWindowInDays: undefined,
      preventDestroy: undefined,
      aliases: undefined,
      administrators: undefined,
      identityCenterAdministrators: undefined,
      allowDelegatedAdminFullAccess: undefined,
      managedApplications: undefined,
      organizationPrincipals: undefined,
    });
  });

  test('{account} and {partition} are replaced per target; session names default from the target name', () => {
    const config = parse(
      rollout([ACME, GLOBEX], {
        assumeRole: { roleArn: 'arn:{partition}:iam::{account}:role/deploy', externalId: 'fleet-42' },
        administrators: ['arn:{partition}:iam::{account}:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*'],
      }),
    );
    expect(config.targets.map((t) => t.assumeRole)).toEqual([
      { roleArn: 'arn:aws:iam::111111111111:role/deploy', externalId: 'fleet-42', sessionName: 'idc-cmk-acme-prod' },
      { roleArn: 'arn:aws:iam::222222222222:role/deploy', externalId: 'fleet-42', sessionName: 'idc-cmk-globex-prod' },
    ]);
    expect(config.targets[1]!.key.administrators).toEqual(['arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*']);
  });

  test('backend: local by default; a target backend replaces the default; S3 key per target', () => {
    const config = parse(
      rollout([ACME, { ...GLOBEX, backend: { local: { directory: 'state' } } }], {
        backend: { s3: { bucket: 'org-tf-state', keyPrefix: 'idc-cmk/prod', region: 'us-east-1' } },
      }),
    );
    expect(config.targets.map((t) => t.backend)).toEqual([
      { kind: 's3', bucket: 'org-tf-state', key: 'idc-cmk/prod/acme-prod.tfstate', region: 'us-east-1', roleArn: undefined, dynamodbTable: undefined, useLockfile: true, encrypt: true },
      { kind: 'local', path: 'state/terraform.globex-prod.tfstate' },
    ]);
    expect(parse(rollout([ACME])).targets[0]!.backend).toEqual({ kind: 'local', path: 'terraform.acme-prod.tfstate' });
  });

  test('cloud backend: a named workspace per target, or tags plus the target name', () => {
    const named = parse(rollout([ACME], { backend: { cloud: { organization: 'acme', workspacePrefix: 'idc-cmk-', project: 'identity' } } }));
    expect(named.targets[0]!.backend).toEqual({ kind: 'cloud', organization: 'acme', hostname: undefined, project: 'identity', workspace: { kind: 'name', name: 'idc-cmk-acme-prod' } });
    const tagged = parse(rollout([ACME], { backend: { cloud: { organization: 'acme', tags: ['idc-cmk'] } } }));
    expect(tagged.targets[0]!.backend).toMatchObject({ workspace: { kind: 'tags', tags: ['idc-cmk', 'acme-prod'] } });
  });
});

test('the S3 state role may live in a central state account', () => {
  const config = parse(rollout([ACME], { backend: { s3: { bucket: 'org-tf-state', roleArn: 'arn:aws:iam::999999999999:role/tf-state' } } }));
  expect(config.targets[0]!.backend).toMatchObject({ kind: 's3', roleArn: 'arn:aws:iam::999999999999:role/tf-state' });
});
