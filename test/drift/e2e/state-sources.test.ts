/** State from an S3 backend (with and without workspaces) and the Markdown job summary, end to end. */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { cleanupSynth, drift, freshFleet, PreparedFleet, Synth, synthOnce } from './harness';

type Report = { summary: { targets: number; inSync: number }; targets: Array<{ target: string; status: string }> };

const BUCKET = 'idc-cmk-state';

let synth: Synth;
let fleet: PreparedFleet;
beforeAll(async () => {
  synth = await synthOnce();
  fleet = await freshFleet(synth);
  const tooling = fleet.scenario.tooling!;
  fleet.aws.seed.createBucket({ name: BUCKET, accountId: tooling.accountId });
  for (const file of readdirSync(fleet.stateDir).filter((f) => f.endsWith('.tfstate'))) {
    const target = file.replace(/^terraform\.(.*)\.tfstate$/, '$1');
    const body = readFileSync(join(fleet.stateDir, file), 'utf8');
    fleet.aws.seed.putObject(BUCKET, `idc-cmk/${target}.tfstate`, body);
    if (target === 'globex-prod') fleet.aws.seed.putObject(BUCKET, `env:/prod/idc-cmk/${target}.tfstate`, body);
  }
}, 120_000);
afterAll(async () => {
  await fleet?.aws.stop();
  cleanupSynth(synth);
});

test('--state-s3 reads every target state under the prefix (default workspace only)', async () => {
  fleet.aws.clearCallLog();
  const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, '--format', 'json']);
  const report = JSON.parse(run.out) as Report;
  expect(report.targets.map((t) => [t.target, t.status])).toEqual([
    ['acme-prod', 'in_sync'],
    ['globex-prod', 'in_sync'],
  ]);
  expect(run.code).toBe(0);
  const s3Calls = fleet.aws.callLog().filter((c) => c.service === 's3');
  expect(s3Calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['ListObjectsV2', 'GetObject']));
  expect(s3Calls.every((c) => c.accountId === fleet.scenario.tooling!.accountId)).toBe(true);
});

test('--workspace reads the env:/<workspace>/ objects only', async () => {
  const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, '--workspace', 'prod', '--target', 'globex-prod', '--format', 'json']);
  const report = JSON.parse(run.out) as Report;
  expect(report.targets.map((t) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
  expect(run.code).toBe(0);
});

test('a bucket the caller cannot read is a clear error, exit 1, no stack trace', async () => {
  fleet.aws.seed.createBucket({ name: 'someone-elses-state', accountId: '444444444444' });
  const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', 's3://someone-elses-state/idc-cmk', '--format', 'json']);
  expect(run.code).toBe(1);
  expect(run.err + run.out).toMatch(/AccessDenied|AWS_ACCESS_DENIED/);
  expect(run.err).not.toMatch(/\n\s+at /);
});

test('--markdown-summary appends the Markdown report next to the main format', async () => {
  const summary = 'summary.md';
  for (let i = 0; i < 2; i++) {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--format', 'json', '--output', 'report.json', '--markdown-summary', summary]);
    expect(run.code).toBe(0);
  }
  const json = JSON.parse(readFileSync(join(fleet.workDir, 'report.json'), 'utf8')) as Report;
  expect(json.summary).toMatchObject({ targets: 2, inSync: 2 });
  const md = readFileSync(join(fleet.workDir, summary), 'utf8');
  expect(md.match(/acme-prod/g)?.length).toBeGreaterThanOrEqual(2);
  expect(md).toContain('|');
});

test('one state holding several targets (a module each) is checked target by target, by file and with --target', async () => {
  const states = ['acme-prod', 'globex-prod'].map((t) => JSON.parse(readFileSync(join(fleet.stateDir, `terraform.${t}.tfstate`), 'utf8')) as { resources: Array<Record<string, unknown>> });
  const combined = { ...states[0]!, resources: states.flatMap((st, i) => st.resources.map((r) => ({ ...r, module: `module.t${i}` }))) };
  const dir = join(fleet.workDir, 'combined');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'terraform.tfstate');
  writeFileSync(file, JSON.stringify(combined));
  const all = await drift(fleet, ['--config', fleet.configPath, '--state', file, '--format', 'json']);
  const report = JSON.parse(all.out) as Report;
  expect(report.targets.map((t) => [t.target, t.status]).sort()).toEqual([['acme-prod', 'in_sync'], ['globex-prod', 'in_sync']]);
  expect(all.code).toBe(0);
  const one = await drift(fleet, ['--config', fleet.configPath, '--state', file, '--target', 'globex-prod', '--format', 'json']);
  expect((JSON.parse(one.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
  expect(one.code).toBe(0);
});

describe('every target of the rollout file is accounted for', () => {
  test('a target with no state in the given sources is unknown (STATE_NOT_FOUND), never left out; exit 1', async () => {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', join(fleet.stateDir, 'terraform.acme-prod.tfstate'), '--format', 'json']);
    const report = JSON.parse(run.out) as Report & { targets: Array<{ target: string; status: string; errors: Array<{ code: string; message: string }> }> };
    expect(report.targets.map((t) => [t.target, t.status])).toEqual([
      ['acme-prod', 'in_sync'],
      ['globex-prod', 'unknown'],
    ]);
    expect(report.targets[1]!.errors).toEqual([expect.objectContaining({ code: 'STATE_NOT_FOUND', message: expect.stringContaining('no state found for target globex-prod') })]);
    expect(run.code).toBe(1);

    const selected = await drift(fleet, ['--config', fleet.configPath, '--state', join(fleet.stateDir, 'terraform.acme-prod.tfstate'), '--target', 'globex-prod', '--format', 'json']);
    expect(JSON.parse(selected.out).targets[0].errors[0].code).toBe('STATE_NOT_FOUND'); // not TARGET_UNKNOWN: the rollout file lists it
    expect(selected.code).toBe(1);
  });

  test('an unreadable bucket is reported by every shard, not by one', async () => {
    for (const shard of ['1/2', '2/2']) {
      const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', 's3://someone-elses-state/idc-cmk', '--shard', shard, '--format', 'json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.out).targets.some((t: { errors: Array<{ code: string }> }) => t.errors.some((e) => e.code === 'AWS_ACCESS_DENIED'))).toBe(true);
    }
  });

  test('an S3 object that cannot be read is that target\'s failure; the listing still names every target', async () => {
    fleet.aws.faults.set({ failOperations: { GetObject: { errorType: 'AccessDenied', status: 403 } } });
    try {
      const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, '--format', 'json']);
      const report = JSON.parse(run.out) as { targets: Array<{ target: string; status: string; errors: Array<{ code: string }> }> };
      expect(report.targets.map((t) => [t.target, t.status, t.errors[0]?.code])).toEqual([
        ['acme-prod', 'unknown', 'AWS_ACCESS_DENIED'],
        ['globex-prod', 'unknown', 'AWS_ACCESS_DENIED'],
      ]);
      expect(run.code).toBe(1);
    } finally {
      fleet.aws.faults.set({});
    }
  });

  test('a malformed --state-s3 is a flag error naming what is allowed', async () => {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', 'tfstate/idc-cmk']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain('error [INPUT_INVALID]: --state-s3: got "tfstate/idc-cmk"; allowed: s3://BUCKET or s3://BUCKET/PREFIX');
  });

  test('an S3 prefix is a folder: a sibling prefix (idc-cmk-archive/) is not read', async () => {
    fleet.aws.seed.putObject(BUCKET, 'idc-cmk-archive/acme-prod.tfstate', readFileSync(join(fleet.stateDir, 'terraform.acme-prod.tfstate'), 'utf8'));
    const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, '--format', 'json']);
    const report = JSON.parse(run.out) as Report & { targets: Array<{ target: string; status: string; source?: string }> };
    expect(report.targets.map((t) => [t.target, t.status])).toEqual([
      ['acme-prod', 'in_sync'],
      ['globex-prod', 'in_sync'],
    ]);
    expect(run.code).toBe(0);
  });
});

describe('without --state, each target\'s state is read where the rollout file keeps it', () => {
  const withBackend = (backend: object): string => {
    const text = readFileSync(fleet.configPath, 'utf8').replace(/^ {2}backend:\n {4}local: \{\}\n/m, '');
    const path = join(fleet.workDir, `backend-${Object.keys(backend)[0]}.yaml`);
    writeFileSync(path, text.replace(/^defaults:\n/m, `defaults:\n  backend: ${JSON.stringify(backend)}\n`));
    return path;
  };

  test('local backend in a directory', async () => {
    mkdirSync(join(fleet.workDir, 'states'), { recursive: true });
    for (const f of readdirSync(fleet.stateDir)) copyFileSync(join(fleet.stateDir, f), join(fleet.workDir, 'states', f));
    const run = await drift(fleet, ['--config', withBackend({ local: { directory: 'states' } }), '--format', 'json']);
    expect((JSON.parse(run.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([
      ['acme-prod', 'in_sync'],
      ['globex-prod', 'in_sync'],
    ]);
    expect(run.code).toBe(0);
  });

  test('S3 backend: one GetObject per target at <keyPrefix>/<target>.tfstate, no listing', async () => {
    fleet.aws.clearCallLog();
    const run = await drift(fleet, ['--config', withBackend({ s3: { bucket: BUCKET, keyPrefix: 'idc-cmk', region: 'us-east-1' } }), '--format', 'json']);
    expect((JSON.parse(run.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([
      ['acme-prod', 'in_sync'],
      ['globex-prod', 'in_sync'],
    ]);
    expect(run.code).toBe(0);
    expect(fleet.aws.callLog().filter((c) => c.service === 's3').map((c) => c.operation)).toEqual(['GetObject', 'GetObject']);
  });

  test('S3 backend with --workspace: the env:/<workspace>/ object of each target', async () => {
    fleet.aws.clearCallLog();
    const run = await drift(fleet, ['--config', withBackend({ s3: { bucket: BUCKET, keyPrefix: 'idc-cmk', region: 'us-east-1' } }), '--workspace', 'prod', '--target', 'globex-prod', '--format', 'json']);
    expect((JSON.parse(run.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
    expect(run.code).toBe(0);
    expect(fleet.aws.callLog().filter((c) => c.service === 's3').map((c) => c.operation)).toEqual(['GetObject']);
  });

  test('--workspace without S3 states is refused', async () => {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--workspace', 'prod']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('--workspace "prod" needs S3 states: --state-s3, or a rollout file with S3 backends (and no --state)');
  });

  test('a state stored under another target\'s name is that target\'s failure, in every shard alike', async () => {
    const dir = join(fleet.workDir, 'misfiled');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(fleet.stateDir, 'terraform.acme-prod.tfstate'), join(dir, 'terraform.acme-prod.tfstate'));
    copyFileSync(join(fleet.stateDir, 'terraform.acme-prod.tfstate'), join(dir, 'terraform.globex-prod.tfstate'));
    const config = withBackend({ local: { directory: 'misfiled' } });
    const statuses = async (extra: string[]) => {
      const run = await drift(fleet, ['--config', config, '--format', 'json', ...extra]);
      return (JSON.parse(run.out) as { targets: Array<{ target: string; status: string; errors: Array<{ message: string }> }> }).targets.map((t) => [t.target, t.status, t.errors[0]?.message ?? '']);
    };
    const full = await statuses([]);
    expect(full).toEqual([
      ['acme-prod', 'in_sync', ''],
      ['globex-prod', 'unknown', expect.stringContaining('records target acme-prod, not globex-prod')],
    ]);
    const sharded = [...(await statuses(['--shard', '1/2'])), ...(await statuses(['--shard', '2/2']))].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(sharded).toEqual(full);
  });

  test('a missing S3 backend object is STATE_NOT_FOUND; --workspace with a local-backend target is refused for that target', async () => {
    const s3 = await drift(fleet, ['--config', withBackend({ s3: { bucket: BUCKET, keyPrefix: 'idc-cmk', region: 'us-east-1' } }), '--workspace', 'staging', '--target', 'acme-prod', '--format', 'json']);
    expect(JSON.parse(s3.out).targets[0].errors[0]).toMatchObject({ code: 'STATE_NOT_FOUND', message: expect.stringContaining('no state object at s3://') });
    expect(s3.code).toBe(1);
  });

  test('--state-s3 pointing into env:/<workspace>/ reads those objects', async () => {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/env:/prod/idc-cmk`, '--target', 'globex-prod', '--format', 'json']);
    expect((JSON.parse(run.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
  });

  test('HCP Terraform: each target is unknown with how to pipe its state in', async () => {
    const run = await drift(fleet, ['--config', withBackend({ cloud: { organization: 'acme', workspacePrefix: 'idc-cmk-' } }), '--format', 'json']);
    const report = JSON.parse(run.out) as { targets: Array<{ status: string; errors: Array<{ code: string; message: string }> }> };
    expect(report.targets.map((t) => t.status)).toEqual(['unknown', 'unknown']);
    expect(report.targets[0]!.errors[0]).toMatchObject({ code: 'STATE_NOT_FOUND', message: expect.stringContaining('HCP Terraform') });
    expect(run.code).toBe(1);
  });
});

test('an --output or --markdown-summary that cannot be written is refused before any AWS call', async () => {
  for (const flag of ['--output', '--markdown-summary']) {
    fleet.aws.clearCallLog();
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, flag, join(fleet.workDir, 'no-such-dir', 'report.txt')]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`error [INPUT_INVALID]: ${flag}: got "${join(fleet.workDir, 'no-such-dir', 'report.txt')}"; allowed: a file this process can write (ENOENT)`);
    expect(fleet.aws.callLog()).toEqual([]);
    const empty = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, flag, '']);
    expect(empty.code).toBe(1);
    expect(empty.err).toContain(`${flag}: got ""; allowed: a file path`);
  }
});

test('two states for one target: that target is unknown once, naming both; the report stays keyed by target', async () => {
  const dir = join(fleet.workDir, 'dup-states');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(fleet.stateDir)) copyFileSync(join(fleet.stateDir, f), join(dir, f));
  copyFileSync(join(fleet.stateDir, 'terraform.acme-prod.tfstate'), join(dir, 'acme-prod-old.tfstate'));
  const run = await drift(fleet, ['--config', fleet.configPath, '--state', dir, '--format', 'json']);
  const report = JSON.parse(run.out) as { targets: Array<{ target: string; status: string; errors: Array<{ code: string; message: string }> }> };
  expect(report.targets.map((t) => [t.target, t.status])).toEqual([
    ['acme-prod', 'unknown'],
    ['globex-prod', 'in_sync'],
  ]);
  expect(report.targets[0]!.errors[0]).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/^2 states describe target acme-prod: .*acme-prod-old\.tfstate/) });
  expect(run.code).toBe(1);
});

test('flag values: an empty or odd --workspace, an empty --target are refused; an unknown --target fails every shard', async () => {
  for (const [flag, value] of [['--workspace', ''], ['--workspace', 'a/b'], ['--target', '']]) {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/idc-cmk`, flag!, value!]);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`error [INPUT_INVALID]: ${flag}: got ${JSON.stringify(value)}; allowed:`);
  }
  for (const shard of ['1/3', '2/3', '3/3']) {
    const run = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--target', 'nope', '--target', 'acme-prod', '--shard', shard, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out).targets.some((t: { errors: Array<{ code: string }> }) => t.errors.some((e) => e.code === 'TARGET_UNKNOWN'))).toBe(true);
  }
});

test('--role-name wins over the deploy role when the rollout file names no drift role', async () => {
  const text = readFileSync(fleet.configPath, 'utf8').replace(/^ {2}drift:\n {4}roleArn: .*\n/m, '  drift:\n');
  expect(text).not.toContain('role/idc-cmk-drift\n  drift');
  const path = join(fleet.workDir, 'no-drift-role.yaml');
  writeFileSync(path, text);
  fleet.aws.clearCallLog();
  const run = await drift(fleet, ['--config', path, '--state', fleet.stateDir, '--role-name', 'idc-cmk-drift', '--target', 'acme-prod', '--format', 'json']);
  expect(run.code).toBe(0);
  const roles = new Set(fleet.aws.callLog().filter((c) => c.service === 'kms').map((c) => fleet.aws.state.credentials.get(c.accessKeyId ?? '')?.roleName));
  expect([...roles]).toEqual(['idc-cmk-drift']);
});

test('stdin carries one state: the other rollout targets are not failed; the same file reached twice is one state', async () => {
  const piped = await drift(fleet, ['--config', fleet.configPath, '--state', '-', '--format', 'json'], {}, readFileSync(join(fleet.stateDir, 'terraform.acme-prod.tfstate'), 'utf8'));
  expect((JSON.parse(piped.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([['acme-prod', 'in_sync']]);
  expect(piped.code).toBe(0);
  const twice = await drift(fleet, ['--config', fleet.configPath, '--state', fleet.stateDir, '--state', join(fleet.stateDir, 'terraform.acme-prod.tfstate'), '--format', 'json']);
  expect((JSON.parse(twice.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([['acme-prod', 'in_sync'], ['globex-prod', 'in_sync']]);
  const envPrefix = await drift(fleet, ['--config', fleet.configPath, '--state-s3', `s3://${BUCKET}/env:/prod/idc-cmk`, '--workspace', 'prod', '--target', 'globex-prod', '--format', 'json']);
  expect((JSON.parse(envPrefix.out) as Report).targets.map((t) => [t.target, t.status])).toEqual([['globex-prod', 'in_sync']]);
});
