/**
 * One stack per rollout target: provider, backend (one state per target), the key construct, the
 * instance's switch to it, tamper alarms, and the delegated administrators' IAM policies.
 * The stack ID is the target name, so renaming a target means a new stack and a new state.
 */
import { TerraformStack } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformBackend } from 'cdktf';
import type { Construct } from 'constructs';
import { IdentityCenterKey } from '../modules/identity-center-key';
import { InstanceEncryption } from '../modules/instance-encryption';
import type { ResolvedTarget } from '../config/types';
import { type BackendLocation, declareBackend } from './backend';
import { encryptionPropsForTarget } from './encryption-props';
import { keyPropsForTarget } from './key-props';
import { inRolloutTerms } from './rollout-terms';
import { declareDelegatedAdminAccess, declareTamperAlarms } from './fleet-constructs';
import type { KeyTamperAlarms } from '../modules/tamper-alarms';
import type { DelegatedAdminAccess } from '../modules/delegated-admin-access';
import { declareProvider } from './provider';

/** Construct ID of the key in every target stack (part of the Terraform addresses: do not change). */
export const KEY_CONSTRUCT_ID = 'identity-center-key';
/** Construct ID of the instance encryption switch (part of the Terraform addresses: do not change). */
export const ENCRYPTION_CONSTRUCT_ID = 'instance-encryption';

/** The stack ID of a target: its name (already a stack-safe slug, validated by the config schema). */
export function stackIdForTarget(name: string): string {
  return name;
}

export interface TargetStackProps {
  /** The target, defaults merged. */
  readonly target: ResolvedTarget;
  /** Where Terraform runs for this stack, to write the local state path relative to it. */
  readonly location: BackendLocation;
}

export class TargetStack extends TerraformStack {
  public readonly target: ResolvedTarget;
  public readonly provider: AwsProvider;
  public readonly backend: TerraformBackend;
  public readonly key: IdentityCenterKey;
  /** The instance's switch to the key (`encryption` settings); synthesizes nothing when `switch: false`. */
  public readonly encryption: InstanceEncryption;
  /** Alarms on changes to the key and the instance encryption (`tamperAlarms.enabled`). */
  public readonly tamperAlarms?: KeyTamperAlarms;
  /** The delegated administrators' IAM policies, one per delegated-admin account (`delegatedAdminAccess.enabled`). */
  public readonly delegatedAdminAccess: readonly DelegatedAdminAccess[];

  constructor(scope: Construct, props: TargetStackProps) {
    const id = stackIdForTarget(props.target.name);
    super(scope, id);
    this.target = props.target;
    this.provider = declareProvider(this, props.target);
    // A newer provider than the prebuilt bindings' (native mode needs one): written to required_providers.
    if (props.target.encryption.providerVersion !== undefined) {
      this.addOverride('terraform.required_providers.aws.version', props.target.encryption.providerVersion);
    }
    this.backend = declareBackend(this, id, props.target.backend, props.location);
    this.key = new IdentityCenterKey(this, KEY_CONSTRUCT_ID, keyPropsForTarget(props.target));
    this.encryption = inRolloutTerms(
      () => new InstanceEncryption(this, ENCRYPTION_CONSTRUCT_ID, encryptionPropsForTarget(props.target, this.key)),
      (field) => `encryption.${field}`,
    );
    if (this.encryption.enabled) {
      // Replacing the key then switches the instance to the new key before the old one can go.
      for (const k of [this.key.key, ...this.key.replicas.map((r) => r.key)]) InstanceEncryption.prepareKeyForReplacement(k);
    }
    this.tamperAlarms = declareTamperAlarms(this, props.target, this.key);
    this.delegatedAdminAccess = declareDelegatedAdminAccess(this, props.target, this.key);
  }
}
