/**
 * Fault injection: latency, throttling (every Nth call or a seeded share), failing operations or
 * accounts with a chosen error, and dropped connections. Set at start (LocalAwsOptions.faults) and
 * changed at runtime (LocalAws.faults). Faults draw from their own seeded RNG, so they never shift
 * the IDs the emulator generates.
 */
import { validateFaultSettings } from './fault-settings';
import { SeededRandom } from './rng';

/** An error to answer with instead of serving the call. */
export interface FaultError {
  /** The AWS error name, e.g. `AccessDeniedException`, `InternalFailure`. */
  readonly errorType: string;
  /** @default a generic "injected fault" message naming the operation */
  readonly message?: string;
  /** @default 400 */
  readonly status?: number;
}

export interface FaultSettings {
  /** Delay before every call is served, in ms. @default 0 */
  readonly latencyMs?: number;
  /** Per-operation delay (`DescribeKey`, `GetKeyPolicy`, ...), overriding latencyMs. @default none */
  readonly latencyByOperation?: Readonly<Record<string, number>>;
  /** Throttle every Nth call (among the throttled operations). @default never */
  readonly throttleEveryNth?: number;
  /** Throttle this share of calls, 0 to 1, drawn from the seeded RNG. @default 0 */
  readonly throttleRate?: number;
  /** Operations that may be throttled. @default all */
  readonly throttleOperations?: readonly string[];
  /** Answer these operations with an error. @default none */
  readonly failOperations?: Readonly<Record<string, FaultError>>;
  /** Answer every call acting in these accounts with an error (after authentication). @default none */
  readonly failAccounts?: Readonly<Record<string, FaultError>>;
  /** Destroy the connection of every Nth call, without answering. @default never */
  readonly dropEveryNth?: number;
  /** Destroy the connection of this share of calls, 0 to 1. @default 0 */
  readonly dropRate?: number;
  /** Operations whose connections may be dropped. @default all */
  readonly dropOperations?: readonly string[];
}

/** Seed of the fault RNG when the emulator's seed is not given. */
export const DEFAULT_FAULT_SEED = 7;

export class Faults {
  private settings: FaultSettings;
  private throttleCount = 0;
  private dropCount = 0;
  private readonly rng: SeededRandom;

  constructor(initial: FaultSettings = {}, seed = DEFAULT_FAULT_SEED) {
    this.settings = validateFaultSettings(initial);
    this.rng = new SeededRandom(seed ^ 0x5eed);
  }

  /** Replaces the settings (counters restart); invalid settings are refused and the old ones kept. */
  set(settings: FaultSettings): void {
    this.settings = validateFaultSettings(settings);
    this.throttleCount = 0;
    this.dropCount = 0;
  }

  /** Merges into the current settings. */
  update(settings: FaultSettings): void {
    this.set({ ...this.settings, ...settings });
  }

  /** Removes every fault. */
  clear(): void {
    this.set({});
  }

  current(): FaultSettings {
    return { ...this.settings };
  }

  latencyFor(operation: string): number {
    return this.settings.latencyByOperation?.[operation] ?? this.settings.latencyMs ?? 0;
  }

  shouldDrop(operation: string): boolean {
    const s = this.settings;
    if (!s.dropEveryNth && !s.dropRate) return false;
    if (s.dropOperations && !s.dropOperations.includes(operation)) return false;
    this.dropCount++;
    if (s.dropEveryNth && this.dropCount % s.dropEveryNth === 0) return true;
    return !!s.dropRate && this.rng.next() < s.dropRate;
  }

  shouldThrottle(operation: string): boolean {
    const s = this.settings;
    if (!s.throttleEveryNth && !s.throttleRate) return false;
    if (s.throttleOperations && !s.throttleOperations.includes(operation)) return false;
    this.throttleCount++;
    if (s.throttleEveryNth && this.throttleCount % s.throttleEveryNth === 0) return true;
    return !!s.throttleRate && this.rng.next() < s.throttleRate;
  }

  /** The injected error for this call, if any (account rules win over operation rules). */
  failureFor(operation: string, accountId: string): FaultError | undefined {
    return this.settings.failAccounts?.[accountId] ?? this.settings.failOperations?.[operation];
  }
}
