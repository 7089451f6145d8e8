import 'cdktf/lib/testing/adapters/jest';
import { Testing, TerraformStack } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  DEFAULT_COMMAND_PREFIX,
  INSTANCE_ENCRYPTION_KIND,
  InstanceEncryption,
  shellQuote,
  type InstanceEncryptionProps,
} from '../../modules/instance-encryption';
import { SsoadminInstance } from '../../modules/native/ssoadmin-instance';
import { isIdcCmkError } from '../../core/errors';

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const MGMT = '111122223333';

interface Fixture {
  stack: TerraformStack;
  key: KmsKey;
  policy: KmsKeyPolicy;
  alias: KmsAlias;
}

function fixture(): Fixture {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const key = new KmsKey(stack, 'key', { description: 'k' });
  const policy = new KmsKeyPolicy(stack, 'policy', { keyId: key.keyId, policy: '{}' });
  const alias = new KmsAlias(stack, 'alias', { name: 'alias/identity-center', targetKeyId: key.keyId });
  return { stack, key, policy, alias };
}

function props(f: Fixture, extra: Partial<InstanceEncryptionProps> = {}): InstanceEncryptionProps {
  return {
    instanceArn: INSTANCE,
    region: 'eu-west-1',
    keyArn: f.key.arn,
    managementAccountId: MGMT,
    dependsOn: [f.key, f.policy, f.alias],
    ...extra,
  };
}

function synth(f: Fixture): { resource: Record<string, Record<string, Record<string, unknown>>>; import?: unknown[] } {
  return JSON.parse(Testing.synth(f.stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
}

function record(f: Fixture): Record<string, unknown> {
  const data = synth(f).resource.terraform_data ?? {};
  const entries = Object.entries(data).filter(([, v]) => (v.input as { kind?: string } | undefined)?.kind === INSTANCE_ENCRYPTION_KIND);
  expect(entries).toHaveLength(1);
  return (entries[0] as [string, Record<string, unknown>])[1];
}

type Prov = { 'local-exec': { command: string; when?: string; environment?: Record<string, string> } };

describe('InstanceEncryption (cli mode)', () => {
  test('records the instance, key type and key ARN in a terraform_data input', () => {
    const f = fixture();
    new InstanceEncryption(f.stack, 'encryption', props(f));
    expect(Testing.synth(f.stack)).toHaveResourceWithProperties({ tfResourceType: 'terraform_data' } as never, {
      input: {
        kind: 'idc-cmk/instance-encryption',
        schema_version: 1,
        instance_arn: INSTANCE,
        region: 'eu-west-1',
        key_type: 'CUSTOMER_MANAGED_KEY',
        kms_key_arn: '${aws_kms_key.key.arn}',
      },
    });
  });

  test('depends explicitly on the key, its policy and its aliases; replaced when the key changes; create_before_destroy', () => {
    const f = fixture();
    new InstanceEncryption(f.stack, 'encryption', props(f));
    const r = record(f);
    expect(r.depends_on).toEqual(['aws_kms_key.key', 'aws_kms_key_policy.policy', 'aws_kms_alias.alias']);
    expect(r.triggers_replace).toEqual({ instance_arn: INSTANCE, region: 'eu-west-1', kms_key_arn: '${aws_kms_key.key.arn}' });
    expect(r.lifecycle).toEqual({ create_before_destroy: true });
  });

  test('the create-time provisioner runs apply with values from self.input, passed through the environment', () => {
    const f = fixture();
    new InstanceEncryption(f.stack, 'encryption', props(f, { roleArn: 'arn:aws:iam::111122223333:role/IdcCmkDeploy', timeoutSeconds: 600, pollIntervalMs: 2000 }));
    const provisioners = record(f).provisioner as Prov[];
    expect(provisioners).toHaveLength(1);
    const apply = (provisioners[0] as Prov)['local-exec'];
    expect(apply.when).toBe('create');
    expect(apply.command).toBe(
      `${DEFAULT_COMMAND_PREFIX} encryption apply --instance-arn "$IDC_CMK_INSTANCE_ARN" --key-arn "$IDC_CMK_KMS_KEY_ARN" --region "$IDC_CMK_REGION"` +
        ` --management-account ${MGMT} --timeout 600 --poll-interval 2000 --role-arn arn:aws:iam::111122223333:role/IdcCmkDeploy`,
    );
    expect(apply.environment).toEqual({
      IDC_CMK_INSTANCE_ARN: '${self.input.instance_arn}',
      IDC_CMK_REGION: '${self.input.region}',
      IDC_CMK_KMS_KEY_ARN: '${self.input.kms_key_arn}',
    });
  });

  test('no destroy provisioner unless revertOnDestroy; with it, revert --yes only if the recorded key is still in use', () => {
    const f = fixture();
    new InstanceEncryption(f.stack, 'plain', props(f));
    const g = fixture();
    new InstanceEncryption(g.stack, 'reverting', props(g, { revertOnDestroy: true, commandPrefix: 'node ./bin/idc-cmk.js' }));
    expect((record(f).provisioner as Prov[]).map((p) => p['local-exec'].when)).toEqual(['create']);
    const provisioners = record(g).provisioner as Prov[];
    expect(provisioners.map((p) => p['local-exec'].when)).toEqual(['create', 'destroy']);
    const revert = (provisioners[1] as Prov)['local-exec'];
    expect(revert.command).toBe(
      'node ./bin/idc-cmk.js encryption revert --yes --instance-arn "$IDC_CMK_INSTANCE_ARN" --region "$IDC_CMK_REGION" --only-if-key-arn "$IDC_CMK_KMS_KEY_ARN" --timeout 900 --poll-interval 5000',
    );
    // Destroy provisioners may only reference self.
    expect(Object.values(revert.environment ?? {}).every((v) => /^\$\{self\.[a-z_.]+\}$/.test(v))).toBe(true);
    expect(revert.command).not.toContain('${');
  });

  test('enabled: false synthesizes nothing', () => {
    const f = fixture();
    const c = new InstanceEncryption(f.stack, 'encryption', props(f, { enabled: false }));
    expect(c.record).toBeUndefined();
    expect(synth(f).resource.terraform_data).toBeUndefined();
    expect(synth(f).resource.aws_ssoadmin_instance).toBeUndefined();
  });

  test('prepareKeyForReplacement makes the key create_before_destroy and keeps its other lifecycle settings', () => {
    const f = fixture();
    f.key.lifecycle = { preventDestroy: true };
    InstanceEncryption.prepareKeyForReplacement(f.key);
    new InstanceEncryption(f.stack, 'encryption', props(f));
    expect(synth(f).resource.aws_kms_key?.key?.lifecycle).toEqual({ create_before_destroy: true, prevent_destroy: true });
  });

  test('static values in the command are shell-quoted and Terraform-escaped', () => {
    expect(shellQuote("a'b c")).toBe(`'a'\\''b c'`);
    expect(shellQuote('arn:aws:iam::111122223333:role/x')).toBe('arn:aws:iam::111122223333:role/x');
    const f = fixture();
    new InstanceEncryption(f.stack, 'encryption', props(f, { commandPrefix: 'env X=${HOME} idc-cmk' }));
    const apply = ((record(f).provisioner as Prov[])[0] as Prov)['local-exec'];
    expect(apply.command.startsWith('env X=$${HOME} idc-cmk encryption apply')).toBe(true);
  });
});

describe('InstanceEncryption (native mode)', () => {
  test('aws_ssoadmin_instance with encryption_configuration, imported from the instance ARN, prevent_destroy, explicit dependencies', () => {
    const f = fixture();
    const c = new InstanceEncryption(f.stack, 'encryption', props(f, { mode: 'native' }));
    expect(c.record).toBeUndefined();
    expect(c.nativeInstance).toBeInstanceOf(SsoadminInstance);
    const out = synth(f) as unknown as { resource: Record<string, Record<string, Record<string, unknown>>>; import: { to: string; id: string }[] };
    expect(out.resource.terraform_data).toBeUndefined();
    const instance = Object.values(out.resource.aws_ssoadmin_instance ?? {})[0] as Record<string, unknown>;
    expect(instance.encryption_configuration).toEqual([{ key_type: 'CUSTOMER_MANAGED_KEY', kms_key_arn: '${aws_kms_key.key.arn}' }]);
    expect(instance.lifecycle).toEqual({ prevent_destroy: true });
    expect(instance.depends_on).toEqual(['aws_kms_key.key', 'aws_kms_key_policy.policy', 'aws_kms_alias.alias']);
    expect(out.import).toEqual([expect.objectContaining({ id: INSTANCE, to: expect.stringMatching(/^aws_ssoadmin_instance\./) })]);
  });
});

describe('InstanceEncryption props validation', () => {
  test('lists every problem with field, value and what is allowed', () => {
    const f = fixture();
    let error: unknown;
    try {
      new InstanceEncryption(f.stack, 'bad', {
        ...props(f),
        instanceArn: 'ssoins-123',
        region: 'Europe',
        keyArn: 'alias/identity-center',
        managementAccountId: '1234',
        timeoutSeconds: 0,
        pollIntervalMs: 1.5,
        mode: 'native',
        revertOnDestroy: true,
      });
    } catch (e) {
      error = e;
    }
    expect(isIdcCmkError(error)).toBe(true);
    const details = (error as { details: string[] }).details;
    expect(details).toEqual([
      expect.stringMatching(/^instanceArn: got "ssoins-123"; allowed: an Identity Center instance ARN/),
      expect.stringMatching(/^region: got "Europe"; allowed: an AWS Region code/),
      expect.stringMatching(/^keyArn: got "alias\/identity-center"; allowed: a KMS key ARN.*resolve the alias/),
      'managementAccountId: got "1234"; allowed: a 12-digit AWS account ID',
      'timeoutSeconds: got 0; allowed: a whole number of seconds from 1 to 7200',
      'pollIntervalMs: got 1.5; allowed: a whole number of milliseconds from 10 to 60000',
      expect.stringMatching(/^revertOnDestroy: got true; allowed: false in native mode/),
    ]);
  });

  test.each([
    [1, true],
    [7200, true],
    [7201, false],
  ])('timeoutSeconds %p accepted: %p', (timeoutSeconds, ok) => {
    const f = fixture();
    const make = (): InstanceEncryption => new InstanceEncryption(f.stack, 'e', props(f, { timeoutSeconds }));
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(/1 problem/);
  });
});
