/**
 * One stack per rollout target: provider, backend (one state per target) and the key construct.
 * The stack ID is the target name, so renaming a target means a new stack and a new state.
 */
import { TerraformStack } from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { TerraformBackend } from 'cdktf';
import type { Construct } from 'constructs';
import { IdentityCenterKey } from '../modules/identity-center-key';
import type { ResolvedTarget } from '../config/types';
import { type BackendLocation, declareBackend } from './backend';
import { keyPropsForTarget } from './key-props';
import { declareProvider } from './provider';

/** Construct ID of the key in every target stack (part of the Terraform addresses: do not change). */
export const KEY_CONSTRUCT_ID = 'identity-center-key';

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

  constructor(scope: Construct, props: TargetStackProps) {
    const id = stackIdForTarget(props.target.name);
    super(scope, id);
    this.target = props.target;
    this.provider = declareProvider(this, props.target);
    this.backend = declareBackend(this, id, props.target.backend, props.location);
    this.key = new IdentityCenterKey(this, KEY_CONSTRUCT_ID, keyPropsForTarget(props.target));
    // The instance encryption switch (issue 4) goes here: it reads `props.target.encryption`
    // ({ switch, revertOnDestroy, timeoutSeconds }) and depends on `this.key` (key, policy, aliases).
  }
}
