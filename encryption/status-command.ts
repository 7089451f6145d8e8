/** The `idc-cmk encryption status` command a hint points at, for the same instance and access. */
import type { InstanceTarget } from './types';

/** The status command for this instance with the same role (and external ID), for hints. */
export function statusCommand(target: InstanceTarget): string {
  return [
    `idc-cmk encryption status --instance-arn ${target.instanceArn} --region ${target.region}`,
    ...(target.roleArn ? [`--role-arn ${target.roleArn}`] : []),
    ...(target.roleArn && target.externalId ? [`--external-id ${target.externalId}`] : []),
  ].join(' ');
}
