/** Terraform state format 4, as the drift pipeline sees it: one flat record per resource instance. */

export interface StateRecord {
  /** `aws_kms_key.key`, `module.idc.aws_kms_key.key`, `aws_kms_alias.a["x"]`. */
  readonly address: string;
  /** `module.idc` (nested modules joined with `.`), when the resource is in a module. */
  readonly module?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface TerraformState {
  readonly version: 4;
  readonly terraformVersion?: string;
  readonly serial?: number;
  readonly lineage?: string;
  /** Every resource instance, in state order. */
  readonly records: readonly StateRecord[];
}
