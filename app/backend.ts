/**
 * One Terraform state per target: a local file (default), an S3 object with a per-target key, or an
 * HCP Terraform workspace. cdktf allows one backend per stack.
 */
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TaggedCloudWorkspaces, TerraformBackend } from 'cdktf';
import type { TerraformStack } from 'cdktf';
import { posix, relative, resolve, sep } from 'path';
import type { BackendSettings } from '../config/types';

/** Where the stack's Terraform working directory is: cdktf runs Terraform in `<outdir>/stacks/<stack id>`. */
export interface BackendLocation {
  /** The app's output directory (absolute, or relative to `projectDir`). */
  readonly outdir: string;
  /** The directory cdktf runs in; local state paths in the config are relative to it. */
  readonly projectDir: string;
}

export function declareBackend(stack: TerraformStack, stackId: string, settings: BackendSettings, where: BackendLocation): TerraformBackend {
  switch (settings.kind) {
    case 'local':
      return new LocalBackend(stack, { path: localStatePath(stackId, settings.path, where) });
    case 's3': {
      const backend = new S3Backend(stack, {
        bucket: settings.bucket,
        key: settings.key,
        region: settings.region,
        encrypt: settings.encrypt,
        dynamodbTable: settings.dynamodbTable,
        assumeRole: settings.roleArn !== undefined ? { roleArn: settings.roleArn } : undefined,
      });
      // cdktf 0.21's S3BackendConfig predates S3 native locking (Terraform 1.10+).
      if (settings.useLockfile) backend.addOverride('use_lockfile', true);
      return backend;
    }
    case 'cloud':
      return new CloudBackend(stack, {
        organization: settings.organization,
        hostname: settings.hostname,
        workspaces:
          settings.workspace.kind === 'name'
            ? new NamedCloudWorkspace(settings.workspace.name, settings.project)
            : new TaggedCloudWorkspaces([...settings.workspace.tags], settings.project),
      });
  }
}

/**
 * The local state path as Terraform sees it from the stack's working directory, relative (cdktf's
 * default is absolute, which makes the synthesized output depend on the machine). With the default
 * outdir this is `../../../terraform.<stack>.tfstate`: the project directory, where cdktf keeps it.
 */
export function localStatePath(stackId: string, statePath: string, where: BackendLocation): string {
  const stackDir = resolve(where.projectDir, where.outdir, 'stacks', stackId);
  return relative(stackDir, resolve(where.projectDir, statePath)).split(sep).join(posix.sep);
}
