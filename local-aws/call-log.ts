/** The call log: one entry per request, with the credentials used (access key ID only, never secrets). */

export interface CallRecord {
  /** Epoch ms on the emulator's clock when the request arrived. */
  readonly time: number;
  /** `kms`, `sso`, `sts`, `s3`, or `unknown` when the request could not be classified. */
  readonly service: string;
  readonly operation: string;
  /** The account the request acted in; absent when authentication failed. */
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly region?: string;
  /** HTTP status answered; 0 when the connection was dropped. */
  readonly status: number;
  readonly errorType?: string;
}

/** Keeps the newest `limit` records. */
export class CallLog {
  private records: CallRecord[] = [];

  constructor(private readonly limit: number) {}

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  all(): readonly CallRecord[] {
    return [...this.records];
  }

  clear(): void {
    this.records = [];
  }
}
