/**
 * Drift on demand: change live resources behind Terraform's back, the way a console click or a
 * rogue script would. Each helper changes exactly one thing.
 */
import type { EncryptionDetails } from './state';
import type { Seeder } from './seed';
import { storePolicy } from './kms/policy-format';
import type { LocalAwsState } from './state';

const DAY_MS = 24 * 60 * 60 * 1000;

export class Tamper {
  constructor(private readonly state: LocalAwsState, private readonly seed: Seeder) {}

  replaceKeyPolicy(keyArn: string, policy: string): void {
    this.seed.key(keyArn).policy = storePolicy(this.state, policy);
  }

  disableKey(keyArn: string): void {
    this.seed.key(keyArn).keyState = 'Disabled';
  }

  enableKey(keyArn: string): void {
    this.seed.key(keyArn).keyState = 'Enabled';
  }

  /** @param days pending window @default 30 */
  scheduleKeyDeletion(keyArn: string, days = 30): void {
    const key = this.seed.key(keyArn);
    key.keyState = 'PendingDeletion';
    key.deletionDate = this.state.now() + days * DAY_MS;
  }

  disableRotation(keyArn: string): void {
    this.seed.key(keyArn).rotationEnabled = false;
  }

  setRotation(keyArn: string, enabled: boolean, periodInDays?: number): void {
    const key = this.seed.key(keyArn);
    key.rotationEnabled = enabled;
    if (periodInDays !== undefined) key.rotationPeriodInDays = periodInDays;
  }

  /** Points an existing alias at another key (key ID) of the same account and Region. */
  moveAlias(accountId: string, region: string, aliasName: string, targetKeyId: string): void {
    const alias = this.state.aliases.get(this.state.aliasKey(accountId, region, aliasName));
    if (!alias) throw new Error(`No alias ${aliasName} in ${accountId}/${region}.`);
    alias.targetKeyId = targetKeyId;
    alias.lastUpdatedDate = this.state.now();
  }

  deleteAlias(accountId: string, region: string, aliasName: string): void {
    this.state.aliases.delete(this.state.aliasKey(accountId, region, aliasName));
  }

  /** Sets (or, with `undefined`, removes) tags. */
  changeTags(keyArn: string, changes: Readonly<Record<string, string | undefined>>): void {
    const key = this.seed.key(keyArn);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) key.tags.delete(k);
      else key.tags.set(k, v);
    }
  }

  switchInstanceToAwsOwnedKey(instanceArn: string): void {
    this.setInstanceEncryption(instanceArn, { keyType: 'AWS_OWNED_KMS_KEY', status: 'ENABLED' });
  }

  /** Sets the instance's encryption details as given (e.g. status UPDATING or UPDATE_FAILED). */
  setInstanceEncryption(instanceArn: string, details: EncryptionDetails): void {
    const instance = this.seed.instance(instanceArn);
    if (instance.pendingUpdate) clearTimeout(instance.pendingUpdate);
    instance.pendingUpdate = undefined;
    instance.encryption = { ...details };
  }

  /** Deletes a role (policies naming it then show its `AROA...` unique ID). */
  deleteRole(accountId: string, roleName: string): void {
    this.seed.deleteRole(accountId, roleName);
  }
}
