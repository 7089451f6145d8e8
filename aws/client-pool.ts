/**
 * SDK clients pooled across accounts and leased to one target at a time.
 *
 * Why: at fleet scale a drift run is bound by the SDK's CPU, not by round trips. A fleet has one
 * target per account, so clients made per account each serve about five calls, and every call pays
 * for building the client's middleware chain again. A pooled client serves target after target, and
 * with the SDK's `cacheMiddleware` it builds each operation's chain once. Measured (1,000 accounts,
 * 5 KMS reads each): about 0.35 ms of CPU per call with a client per account, 0.25 ms pooled.
 *
 * How it stays safe:
 * - A lease is exclusive: a pooled client serves one target at a time, and goes back to the pool only
 *   when every call made through the lease has settled (release). Clients of a lease that was
 *   aborted (a timed-out target) are dropped, never reused.
 * - Each lease sets the client's credentials to its account's (the SDK's `client.config.credentials`
 *   setter re-resolves them for every later call). Clients whose SDK version has no such setter are
 *   never pooled: each lease then gets new clients.
 * - `cacheMiddleware` shares one handler context per operation between the concurrent calls of one
 *   client. That is safe here because those calls share credentials (one lease) and endpoint (KMS,
 *   SSO Admin and STS take no endpoint parameter from the request). Never enable it for S3, whose
 *   bucket is an endpoint parameter.
 * - The lease's abort signal reaches every HTTP request its clients send through the pooled client's
 *   request handler, since calls sent with per-call options would bypass the middleware cache.
 */
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions, NodeHttpHandlerOptions } from '@smithy/types';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** The clients one target's reads use, each used by that target alone until the lease is released. */
export interface ClientLease<K, S> {
  /** The KMS client for a Region (default: the target's). */
  kms(region?: string): K;
  /** The SSO Admin client for a Region (default: the target's). */
  ssoAdmin(region?: string): S;
  /**
   * Every call made through the lease has settled: its clients go back to the pool. After an abort
   * (calls may still be in flight) the clients are dropped instead.
   */
  release(): void;
  /**
   * The last error AWS answered one of the lease's calls with (`ThrottlingException`, `HTTP 503`), retried
   * or not: what a timed-out target was waiting on.
   */
  lastError(): string | undefined;
}

/** A client the pool can hand out: an SDK client, whose config's credentials can be set. */
export interface PoolableClient {
  readonly config: { credentials: unknown };
}

type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Builds a pooled client for a service and Region with the given credentials and request handler. */
export type MakePooledClient = (service: 'kms' | 'sso-admin', region: string, credentials: Credentials, requestHandler: LeaseRequestHandler) => PoolableClient;

interface Pooled {
  readonly client: PoolableClient;
  readonly handler: LeaseRequestHandler;
  /** Whether the client may serve other leases (its credentials can be set: see canSetCredentials). */
  readonly reusable: boolean;
}

export class ClientPool {
  /** `service|region` -> idle clients. */
  private readonly idle = new Map<string, Pooled[]>();

  constructor(
    private readonly shared: NodeHttpHandler,
    private readonly make: MakePooledClient,
  ) {}

  lease<K, S>(region: string, credentials: Credentials, signal?: AbortSignal): ClientLease<K, S> {
    const taken = new Map<string, Pooled>();
    const take = (service: 'kms' | 'sso-admin', r: string): PoolableClient => {
      const key = `${service}|${r}`;
      let pooled = taken.get(key);
      if (!pooled) {
        pooled = this.idle.get(key)?.pop();
        if (pooled) pooled.client.config.credentials = credentials;
        else {
          const handler = new LeaseRequestHandler(this.shared);
          const client = this.make(service, r, credentials, handler);
          pooled = { client, handler, reusable: canSetCredentials(client) };
        }
        pooled.handler.signal = signal;
        taken.set(key, pooled);
      }
      return pooled.client;
    };
    let released = false;
    return {
      kms: (r = region) => take('kms', r) as K,
      ssoAdmin: (r = region) => take('sso-admin', r) as S,
      lastError: () => {
        let last: { at: number; what: string } | undefined;
        for (const pooled of taken.values()) {
          const e = pooled.handler.lastErrorResponse;
          if (e && (!last || e.at >= last.at)) last = e;
        }
        return last?.what;
      },
      release: () => {
        if (released) return;
        released = true;
        if (signal?.aborted) return;
        for (const [key, pooled] of taken) {
          // A client that met an error response (throttling above all) carries its retry state, the
          // adaptive rate limiter included: it is dropped, so one account's throttling never slows
          // the next account's reads.
          if (!pooled.reusable || pooled.handler.sawErrorResponse) continue;
          pooled.handler.signal = undefined;
          let list = this.idle.get(key);
          if (!list) this.idle.set(key, (list = []));
          list.push(pooled);
        }
      },
    };
  }

  /** Idle clients, per `service|region` (tests, diagnostics). */
  idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  /** Drops the idle clients (their sockets belong to the shared handler, which the owner closes). */
  clear(): void {
    this.idle.clear();
  }
}

/**
 * Whether the SDK re-resolves a client's credentials when `config.credentials` is set (a property with
 * a setter, as @aws-sdk/core's SigV4 config defines it), rather than keeping the first ones.
 */
export function canSetCredentials(client: PoolableClient): boolean {
  return typeof Object.getOwnPropertyDescriptor(client.config, 'credentials')?.set === 'function';
}

/** A pooled client's request handler: the shared one, with the current lease's abort signal added. */
export class LeaseRequestHandler {
  /** The abort signal of the lease the client serves now. */
  signal: AbortSignal | undefined;

  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(private readonly shared: NodeHttpHandler) {}

  /** Whether a response of this client's had an error status (the client is then not pooled again). */
  sawErrorResponse = false;

  /** The last error response (its AWS error type, else its HTTP status) and when it came. */
  lastErrorResponse: { readonly at: number; readonly what: string } | undefined;

  async handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}): ReturnType<NodeHttpHandler['handle']> {
    const signal = this.signal;
    const out = await this.shared.handle(request, signal ? { ...options, abortSignal: signal as HttpHandlerOptions['abortSignal'] } : options);
    const status = out.response.statusCode;
    if (status >= 400) {
      this.sawErrorResponse = true;
      // JSON services name the error in x-amzn-ErrorType (`ThrottlingException:http://...`).
      const type = String(out.response.headers['x-amzn-errortype'] ?? '').split(':')[0];
      this.lastErrorResponse = { at: Date.now(), what: type || `HTTP ${status}` };
    }
    return out;
  }

  updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: NodeHttpHandlerOptions[typeof key]): void {
    this.shared.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.shared.httpHandlerConfigs();
  }

  /** The shared handler (and its sockets) belongs to the factory, which closes it. */
  destroy(): void {}
}
