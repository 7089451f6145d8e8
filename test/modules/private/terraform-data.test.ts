import { chmodSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * The Terraform version check runs once per process, so each case loads the module afresh
 * (jest.isolateModules) with its own fake `terraform` (TERRAFORM_BINARY_NAME).
 */
function validationProblems(fakeTerraform: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'idc-cmk-fake-tf-'));
  const binary = join(dir, 'terraform');
  writeFileSync(binary, `#!/bin/sh\n${fakeTerraform}\n`);
  chmodSync(binary, 0o755);
  const saved = process.env.TERRAFORM_BINARY_NAME;
  process.env.TERRAFORM_BINARY_NAME = binary;
  let problems: string[] = [];
  try {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
      const { TerraformData } = require('../../../modules/private/terraform-data') as typeof import('../../../modules/private/terraform-data');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const stack = new TerraformStack(new App({ outdir: dir }), 'stack');
      const first = new TerraformData(stack, 'a');
      const second = new TerraformData(stack, 'b');
      problems = [...first.node.validate(), ...second.node.validate()];
    });
  } finally {
    if (saved === undefined) delete process.env.TERRAFORM_BINARY_NAME;
    else process.env.TERRAFORM_BINARY_NAME = saved;
  }
  return problems;
}

describe('TerraformData version check', () => {
  test('Terraform 1.4 or later passes; the probe runs without the network check for newer versions', () => {
    // Fails unless the probe sets CHECKPOINT_DISABLE, so it proves the variable reaches Terraform.
    expect(validationProblems('[ "$CHECKPOINT_DISABLE" = 1 ] || exit 3\necho "Terraform v1.11.0"')).toEqual([]);
  });

  test('an older Terraform is reported once per record, with the version found and the one needed', () => {
    const problems = validationProblems('echo "Terraform v1.3.9"');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/version 1\.3\.9 is lower than >=1\.4/);
  });

  test('a Terraform that cannot run says so, naming the binary', () => {
    const problems = validationProblems('exit 1');
    expect(problems[0]).toMatch(/^Could not determine the version of .*terraform \(terraform_data needs Terraform >=1\.4\)/);
  });
});
