/**
 * The hand-written `aws_ssoadmin_instance` binding kept under `.gen/` (where `cdktf get` would put a
 * generated one), re-exported here so it compiles with the project: tsconfig excludes `.gen/` as a
 * root, but files it imports are compiled.
 */
export * from '../../.gen/providers/aws/ssoadmin-instance';
