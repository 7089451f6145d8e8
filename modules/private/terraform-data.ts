/**
 * `terraform_data`, the built-in resource our records and the encryption switch use: the same
 * resource and attributes as cdktf's `DataResource`, with one difference that matters at fleet scale.
 * `DataResource` registers a validation that runs `terraform version` in a child process for every
 * instance (~40 ms each: 80 s of a 1,000-target synth). Here the same check (Terraform >= 1.4) runs
 * once per process and its answer is shared by every record. Built on public cdktf API only.
 */
import { execFileSync } from 'child_process';
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct, IValidation } from 'constructs';

/** Terraform added `terraform_data` in 1.4. */
export const TERRAFORM_DATA_MIN_VERSION: readonly [number, number] = [1, 4];

export interface TerraformDataConfig extends TerraformMetaArguments {
  /** Stored in state and reflected in `output` after apply. @default - none */
  readonly input?: { readonly [key: string]: unknown };
  /** Stored in state; a change replaces the resource. @default - none */
  readonly triggersReplace?: { readonly [key: string]: unknown };
}

export class TerraformData extends TerraformResource {
  public static readonly tfResourceType = 'terraform_data';
  private readonly inputValue?: { readonly [key: string]: unknown };
  private readonly triggersReplaceValue?: { readonly [key: string]: unknown };

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.inputValue = config.input;
    this.triggersReplaceValue = config.triggersReplace;
    this.node.addValidation(TERRAFORM_VERSION_CHECK);
  }

  /** The `input` as given (what the drift detector reads back from state). */
  public get inputInput(): { readonly [key: string]: unknown } | undefined {
    return this.inputValue;
  }

  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapper(anyToTerraform)(this.inputValue),
      triggers_replace: hashMapper(anyToTerraform)(this.triggersReplaceValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapperHcl(anyToHclTerraform)(this.inputValue),
      triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplaceValue),
    };
  }
}

let terraformVersionProblems: string[] | undefined;

/** Terraform >= 1.4 on the PATH (or TERRAFORM_BINARY_NAME), checked once per process. */
const TERRAFORM_VERSION_CHECK: IValidation = {
  validate(): string[] {
    terraformVersionProblems ??= checkTerraformVersion();
    return terraformVersionProblems;
  },
};

function checkTerraformVersion(): string[] {
  const binary = process.env.TERRAFORM_BINARY_NAME || 'terraform';
  const [major, minor] = TERRAFORM_DATA_MIN_VERSION;
  const required = `>=${major}.${minor}`;
  let text: string;
  try {
    // CHECKPOINT_DISABLE: only the version is wanted, not Terraform's network check for a newer one.
    text = execFileSync(binary, ['version'], { stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  } catch (e) {
    return [`Could not determine the version of ${binary} (terraform_data needs Terraform ${required}): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`];
  }
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!m) return [`Could not determine the version of ${binary} from "${text.split('\n')[0]}"`];
  const [got, gotMinor] = [Number(m[1]), Number(m[2])];
  if (got > major || (got === major && gotMinor >= minor)) return [];
  return [`${binary} version ${m[0]} is lower than ${required}, which the built-in terraform_data resource needs. Please upgrade Terraform.`];
}
