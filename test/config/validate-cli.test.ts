import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { captureIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { ACME, GLOBEX, rollout } from './fixtures';

const repo = resolve(__dirname, '../..');
const validate = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const io = captureIo({ cwd: options.cwd ?? repo, env: options.env ?? {} });
  return runCli(['node', 'idc-cmk', 'config', 'validate', ...args], io).then((code) => ({ code, out: io.out(), err: io.err() }));
};

function tempFile(name: string, text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-validate-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { dir, path };
}

describe('idc-cmk config validate', () => {
  test('the example (default file in the cwd): one summary line per target, exit 0', async () => {
    const r = await validate([]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      'idc-cmk.yaml: valid, 2 targets',
      '  acme-prod    111111111111  us-east-1  ssoins-1111111111111111  replicas: -  role: idc-cmk-deploy  state: local terraform.acme-prod.tfstate  switch: on',
      '  globex-prod  222222222222  eu-west-1  ssoins-2222222222222222  replicas: -  role: idc-cmk-deploy  state: local terraform.globex-prod.tfstate  switch: on',
      '',
    ]);
  });

  test('IDC_CMK_CONFIG names another file', async () => {
    const { dir } = tempFile('fleet.yaml', rollout([{ ...GLOBEX, replicaRegions: ['eu-central-1'] }]));
    const r = await validate([], { cwd: dir, env: { IDC_CMK_CONFIG: 'fleet.yaml' } });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^fleet\.yaml: valid, 1 target\n {2}globex-prod .* replicas: eu-central-1 .* role: \(ambient credentials\)/);
  });

  test('an invalid file: every problem with its path on stderr, exit 1', async () => {
    const { path } = tempFile('bad.yaml', rollout([{ ...ACME, account: '12345' }, { ...GLOBEX, region: 'moon' }]));
    const r = await validate([path]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`error [CONFIG_INVALID]: ${path}: 2 problems in the rollout file\n`);
    expect(r.err).toContain('  - targets[0].account: got "12345"; allowed: 12 digits, as a string (quote it in YAML) (line 4)\n');
    expect(r.err).toContain('  - targets[1].region: got "moon"; allowed: an AWS Region code such as us-east-1 (line 11)\n');
    expect(r.err).not.toMatch(/\bat \S+:\d+:\d+/); // no stack trace
  });

  test('a missing file: CONFIG_NOT_FOUND, exit 1', async () => {
    const r = await validate(['no-such.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error [CONFIG_NOT_FOUND]: cannot read the rollout file');
  });

  test('--format json, valid and invalid', async () => {
    const ok = await validate(['--format', 'json']);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.out);
    expect(doc).toMatchObject({ version: 1, source: 'idc-cmk.yaml', valid: true });
    expect(doc.targets[0]).toEqual({
      name: 'acme-prod',
      account: '111111111111',
      region: 'us-east-1',
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
      replicaRegions: [],
      deployRole: 'arn:aws:iam::111111111111:role/idc-cmk-deploy',
      driftRole: 'arn:aws:iam::111111111111:role/idc-cmk-drift',
      encryptionSwitch: true,
      state: 'local terraform.acme-prod.tfstate',
    });

    const { path } = tempFile('bad.yaml', rollout([ACME, ACME]));
    const bad = await validate([path, '--format', 'json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toEqual({
      version: 1,
      source: path,
      valid: false,
      code: 'CONFIG_INVALID',
      message: `${path}: 3 problems in the rollout file`,
      problems: [
        'targets[1].name: got "acme-prod"; allowed: a name no other target uses (targets[0] has it)',
        'targets[1].instanceArn: got "arn:aws:sso:::instance/ssoins-1111111111111111"; allowed: an instance no other target manages (targets[0] has it)',
        'targets[1].account: got "111111111111"; allowed: an account no other target uses: an account has at most one Identity Center instance (targets[0] has it)',
      ],
    });
  });

  test('what the constructs would refuse at synth is reported too, for every target, text and JSON', async () => {
    const { path } = tempFile('refused.yaml', rollout([
      { ...ACME, aliases: ['aws/reserved'] },
      { ...GLOBEX, administrators: [] },
      { ...ACME, name: 'third', account: '333333333333', instanceArn: 'arn:aws:sso:::instance/ssoins-3333333333333333', identityStoreId: 'd-3333333333',
        tamperAlarms: { enabled: true, subscriptions: [{ protocol: 'email', endpoint: 'not-an-email' }] } },
    ]));
    const text = await validate([path]);
    expect(text.code).toBe(1);
    expect(text.out).toBe('');
    expect(text.err).toContain('error [CONFIG_INVALID]: 3 of 3 targets cannot be synthesized: 3 problems\n');
    expect(text.err).toContain('  - targets[0] (acme-prod): aliases[0]: got "aws/reserved"; allowed:');
    expect(text.err).toMatch(/ {2}- targets\[1\] \(globex-prod\): key policy administrators: got \[.*\]; allowed: at least one Allow statement/);
    expect(text.err).toMatch(/ {2}- targets\[2\] \(third\): tamperAlarms\.subscriptions\[0\]\.endpoint: got "not-an-email"/);
    expect(text.err).not.toMatch(/\bat \S+:\d+:\d+/);

    const json = await validate([path, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ valid: false, code: 'CONFIG_INVALID', problems: expect.arrayContaining([expect.stringMatching(/^targets\[0\] \(acme-prod\): aliases\[0\]/)]) });
  });

  test('an unknown format is a usage problem', async () => {
    const r = await validate(['--format', 'xml']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--format: got "xml"; allowed: text or json');
  });
});
