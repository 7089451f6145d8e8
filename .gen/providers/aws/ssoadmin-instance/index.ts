/**
 * Hand-written binding for `aws_ssoadmin_instance`, in the shape `cdktf get` generates.
 *
 * Why hand-written: the prebuilt bindings (@cdktf/provider-aws 21.x = hashicorp/aws 6.25.0) have no
 * such resource, and `cdktf get` needs the Terraform registry, which is not reachable here. Upstream
 * terraform-provider-aws has it (`internal/service/ssoadmin/instance.go`, docs
 * `website/docs/r/ssoadmin_instance.html.markdown`) with an `encryption_configuration
 * { key_type, kms_key_arn }` block. Only what InstanceEncryption's native mode needs is modelled:
 * `name`, `region`, `encryption_configuration`, `tags`, `timeouts`, and the computed attributes.
 * When a provider with the resource is generated into `.gen/providers/aws`, this file is replaced by
 * the generated one (same class and config names), and the construct keeps working.
 *
 * WARNING (from upstream): destroying this resource DELETES the Identity Center instance. The
 * construct therefore imports the existing instance and sets `prevent_destroy`.
 */
import type { Construct } from 'constructs';
import * as cdktf from 'cdktf';

/** The provider these bindings stand for: any hashicorp/aws release that has the resource. */
export const SSOADMIN_INSTANCE_PROVIDER = { providerName: 'aws', providerVersion: 'unreleased', providerVersionConstraint: '>= 6.0' } as const;

export interface SsoadminInstanceEncryptionConfiguration {
  /** `AWS_OWNED_KMS_KEY` or `CUSTOMER_MANAGED_KEY`. */
  readonly keyType: string;
  /** Required with CUSTOMER_MANAGED_KEY; must be absent with AWS_OWNED_KMS_KEY. */
  readonly kmsKeyArn?: string;
}

export function ssoadminInstanceEncryptionConfigurationToTerraform(struct?: SsoadminInstanceEncryptionConfiguration | cdktf.IResolvable): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) return struct;
  if (struct === undefined) return undefined;
  const s = struct as SsoadminInstanceEncryptionConfiguration;
  return { key_type: cdktf.stringToTerraform(s.keyType), kms_key_arn: cdktf.stringToTerraform(s.kmsKeyArn) };
}

export interface SsoadminInstanceTimeouts {
  readonly create?: string;
  readonly update?: string;
  readonly delete?: string;
}

export interface SsoadminInstanceConfig extends cdktf.TerraformMetaArguments {
  /** Instance name, 1 to 32 characters. */
  readonly name?: string;
  /** Region where the resource is managed. @default - the provider's Region */
  readonly region?: string;
  readonly encryptionConfiguration?: SsoadminInstanceEncryptionConfiguration;
  readonly tags?: { [key: string]: string };
  readonly timeouts?: SsoadminInstanceTimeouts;
}

/** Represents an `aws_ssoadmin_instance` (an IAM Identity Center instance). */
export class SsoadminInstance extends cdktf.TerraformResource {
  public static readonly tfResourceType = 'aws_ssoadmin_instance';

  /** Generates CDKTF code for importing an instance by its ARN. */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider): cdktf.ImportableResource {
    return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: 'aws_ssoadmin_instance', importId: importFromId, provider });
  }

  private readonly _name?: string;
  private readonly _region?: string;
  private readonly _encryptionConfiguration?: SsoadminInstanceEncryptionConfiguration;
  private readonly _tags?: { [key: string]: string };
  private readonly _timeouts?: SsoadminInstanceTimeouts;

  public constructor(scope: Construct, id: string, config: SsoadminInstanceConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'aws_ssoadmin_instance',
      terraformGeneratorMetadata: { ...SSOADMIN_INSTANCE_PROVIDER },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this._name = config.name;
    this._region = config.region;
    this._encryptionConfiguration = config.encryptionConfiguration;
    this._tags = config.tags;
    this._timeouts = config.timeouts;
  }

  public get arn(): string {
    return this.getStringAttribute('arn');
  }
  public get identityStoreId(): string {
    return this.getStringAttribute('identity_store_id');
  }
  public get ownerAccountId(): string {
    return this.getStringAttribute('owner_account_id');
  }
  public get status(): string {
    return this.getStringAttribute('status');
  }
  public get encryptionConfigurationInput(): SsoadminInstanceEncryptionConfiguration | undefined {
    return this._encryptionConfiguration;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const encryption = ssoadminInstanceEncryptionConfigurationToTerraform(this._encryptionConfiguration);
    return {
      name: cdktf.stringToTerraform(this._name),
      region: cdktf.stringToTerraform(this._region),
      // One element: valid JSON for both a nested block and a list nested attribute.
      encryption_configuration: encryption === undefined ? undefined : [encryption],
      tags: cdktf.hashMapper(cdktf.stringToTerraform)(this._tags),
      timeouts: this._timeouts === undefined ? undefined : { create: this._timeouts.create, update: this._timeouts.update, delete: this._timeouts.delete },
    };
  }
}
