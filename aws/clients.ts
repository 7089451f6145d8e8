/**
 * AWS SDK v3 clients for one target: credentials from the standard chain (or the given environment),
 * an optional role assumed per target, the standard endpoint variables honoured, adaptive retry on
 * throttling and request timeouts. Shared by the drift detector (read-only) and the encryption switch.
 *
 * Clients are cached per (service, region, credentials), so many targets in one account share sockets
 * and one AssumeRole.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';
import * as http from 'http';
import * as https from 'https';
import { IdcCmkError, describeProblem } from '../core/errors';
import { ClientPool, type ClientLease, type LeaseRequestHandler } from './client-pool';

/** Which account a target's calls act in: a role to assume, or the caller's own credentials. */
export interface TargetAccess {
  /** The target's Region (the key's and the instance's). */
  readonly region: string;
  /** Role to assume for this target. @default - the caller's credentials are used as they are */
  readonly roleArn?: string;
  /** External ID for the role's trust policy. @default - none */
  readonly externalId?: string;
  /** Session name for AssumeRole. @default 'idc-cmk' */
  readonly sessionName?: string;
}

export interface AwsClientFactoryOptions {
  /**
   * Environment to read credentials (`AWS_ACCESS_KEY_ID`, ...) and endpoints (`AWS_ENDPOINT_URL`,
   * `AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL_SSO_ADMIN`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_S3`) from.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Base credentials. @default - from `env` when it has access keys, else the SDK's default provider chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, including the first (the SDK's retry strategy). @default 8 */
  readonly maxAttempts?: number;
  /** The SDK's retry mode: adaptive adds client-side rate limiting after throttling. @default 'adaptive' */
  readonly retryMode?: 'standard' | 'adaptive';
  /** Per-request timeout in milliseconds. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Connection timeout in milliseconds. @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** Concurrent sockets per client. @default 64 */
  readonly maxSockets?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
export const DEFAULT_MAX_SOCKETS = 64;
export const DEFAULT_SESSION_NAME = 'idc-cmk';

type ServiceKey = 'kms' | 'sso-admin' | 'sts' | 's3' | 'organizations';

const ENDPOINT_VARIABLES: Readonly<Record<ServiceKey, string>> = {
  kms: 'AWS_ENDPOINT_URL_KMS',
  'sso-admin': 'AWS_ENDPOINT_URL_SSO_ADMIN',
  sts: 'AWS_ENDPOINT_URL_STS',
  s3: 'AWS_ENDPOINT_URL_S3',
  organizations: 'AWS_ENDPOINT_URL_ORGANIZATIONS',
};

/** The endpoint variables that are set must be http(s) URLs: a typo is an input error, not an SDK failure on the first call. */
export function assertEndpointVariables(env: NodeJS.ProcessEnv): void {
  const problems: string[] = [];
  for (const name of ['AWS_ENDPOINT_URL', ...Object.values(ENDPOINT_VARIABLES)]) {
    const value = env[name];
    if (!value) continue;
    let ok = false;
    try {
      const url = new URL(value);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      ok = false;
    }
    if (!ok) problems.push(describeProblem(name, value, 'an http(s) URL such as http://127.0.0.1:4566 or https://kms.us-east-1.amazonaws.com'));
  }
  if (problems.length > 0) throw new IdcCmkError('INPUT_INVALID', 'invalid AWS endpoint setting', { details: problems });
}

/** The endpoint for a service from the standard variables: the service-specific one wins over AWS_ENDPOINT_URL. */
export function endpointFor(service: ServiceKey, env: NodeJS.ProcessEnv): string | undefined {
  return env[ENDPOINT_VARIABLES[service]] || env.AWS_ENDPOINT_URL || undefined;
}

export class AwsClientFactory {
  private readonly env: NodeJS.ProcessEnv;
  private readonly base: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  private readonly roleProviders = new Map<string, SharedCredentialsProvider>();
  private readonly clients = new Map<string, { destroy(): void }>();
  /** Role key -> the keys of the clients signed with that role's credentials. */
  private readonly clientsByRole = new Map<string, Set<string>>();
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  /** Every client's requests go through this handler and its agents' sockets. */
  private readonly requestHandler: NodeHttpHandler;
  private readonly pool: ClientPool;
  private readonly settings: ExplicitClientSettings;

  constructor(private readonly options: AwsClientFactoryOptions = {}) {
    this.env = options.env ?? process.env;
    assertEndpointVariables(this.env);
    this.settings = explicitSettings(this.env);
    this.base = options.credentials ?? credentialsFromEnv(this.env) ?? defaultProviderChain(this.env);
    const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
    this.requestHandler = new NodeHttpHandler({
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Without it the handler only logs a warning and the call waits forever on an endpoint that never answers.
      throwOnRequestTimeout: true,
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
    });
    this.pool = new ClientPool(this.requestHandler, (service, region, credentials, requestHandler) => {
      const config = this.clientConfig(service, region, credentials, requestHandler);
      return service === 'kms' ? new KMSClient(config) : new SSOAdminClient(config);
    });
  }

  /**
   * Clients for one target's reads, from a pool shared by all targets and set to this target's
   * credentials (see client-pool.ts): what a fleet-wide read uses instead of clients per account.
   * `signal` aborts the lease's HTTP requests. Release the lease when its calls have settled.
   */
  lease(access: TargetAccess, signal?: AbortSignal): ClientLease<KMSClient, SSOAdminClient> {
    return this.pool.lease(access.region, this.credentialsFor(access), signal);
  }

  kms(access: TargetAccess): KMSClient {
    return this.client('kms', access, (config) => new KMSClient(config));
  }

  ssoAdmin(access: TargetAccess): SSOAdminClient {
    return this.client('sso-admin', access, (config) => new SSOAdminClient(config));
  }

  /** Organizations, for the encryption pre-flight (is the instance owner the management account?). */
  organizations(access: TargetAccess): OrganizationsClient {
    // Loaded on first use: only the encryption pre-flight needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OrganizationsClient: Client } = require('@aws-sdk/client-organizations') as typeof import('@aws-sdk/client-organizations');
    return this.client('organizations', access, (config) => new Client(config));
  }

  s3(access: TargetAccess): S3Client {
    const endpoint = endpointFor('s3', this.env);
    // Loaded on first use: only runs that read state from S3 pay for the S3 client's module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { S3Client: Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    return this.client('s3', access, (config) => new Client({ ...config, forcePathStyle: endpoint !== undefined }));
  }

  /**
   * The credentials a target's calls are signed with: its assumed role, or the base credentials.
   * Roles are assumed through one STS client per Region (signed with the base credentials), and each
   * role's credentials are shared by all its clients and refreshed before they expire: a fleet of N
   * accounts costs N AssumeRole calls and no per-role STS client.
   */
  credentialsFor(access: TargetAccess): AwsCredentialIdentity | AwsCredentialIdentityProvider {
    if (!access.roleArn) return this.base;
    const roleArn = access.roleArn;
    const key = roleKey(access);
    let provider = this.roleProviders.get(key);
    if (!provider) {
      const sts = this.client('sts', { region: access.region }, (config) => new STSClient(config));
      provider = shareCredentials(async (signal) => {
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: access.sessionName ?? DEFAULT_SESSION_NAME,
            ...(access.externalId ? { ExternalId: access.externalId } : {}),
          }),
          signal ? { abortSignal: signal as NonNullable<HttpHandlerOptions['abortSignal']> } : {},
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error(`AssumeRole ${roleArn} returned no credentials`), { name: 'CredentialsProviderError' });
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      });
      this.roleProviders.set(key, provider);
    }
    return provider;
  }

  /**
   * Resolves a target's credentials now: its role is assumed (once per role, shared by every client
   * of the role), and `signal` aborts that AssumeRole. A failure is the role's, reported as such,
   * instead of surfacing later as a failure of each KMS or SSO Admin call.
   */
  async resolveCredentials(access: TargetAccess, signal?: AbortSignal): Promise<void> {
    if (!access.roleArn) return;
    this.credentialsFor(access);
    await this.roleProviders.get(roleKey(access))?.resolve(signal);
  }

  /**
   * Forgets a role's clients and credentials, once a run is done with its account: a fleet's memory
   * then grows with the targets in flight, not with the fleet. The base credentials' clients stay.
   * Sockets stay pooled in the factory's agents (the clients are dropped, not destroyed: destroying
   * one would close the shared agents).
   */
  release(access: TargetAccess): void {
    if (!access.roleArn) return;
    const role = roleKey(access);
    for (const key of this.clientsByRole.get(role) ?? []) this.clients.delete(key);
    this.clientsByRole.delete(role);
    this.roleProviders.delete(role);
  }

  /** Closes every client's sockets. */
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    this.clientsByRole.clear();
    this.pool.clear();
    this.requestHandler.destroy();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private client<T extends { destroy(): void }>(service: ServiceKey, access: TargetAccess, make: (config: ClientConfig) => T): T {
    const role = roleKey(access);
    const key = `${service}|${access.region}|${role}`;
    const existing = this.clients.get(key);
    if (existing) return existing as T;
    const client = make(this.clientConfig(service, access.region, this.credentialsFor(access), this.requestHandler));
    this.clients.set(key, client);
    if (access.roleArn) {
      let keys = this.clientsByRole.get(role);
      if (!keys) this.clientsByRole.set(role, (keys = new Set()));
      keys.add(key);
    }
    return client;
  }

  private clientConfig(
    service: ServiceKey,
    region: string,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    requestHandler: NodeHttpHandler | LeaseRequestHandler,
  ): ClientConfig {
    const endpoint = endpointFor(service, this.env);
    return {
      region,
      credentials,
      maxAttempts: this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      retryMode: this.options.retryMode ?? 'adaptive',
      requestHandler,
      // Each operation's middleware chain is built once per client, not once per call. Safe for KMS,
      // SSO Admin and STS (no endpoint parameter comes from the request; see client-pool.ts); S3's
      // bucket is an endpoint parameter, so its clients build the chain per call.
      cacheMiddleware: service !== 's3',
      ...(endpoint ? { endpoint } : {}),
      ...this.settings,
    };
  }
}

/** Identifies the credentials a target's calls use: the role, its external ID and session name. */
export function roleKey(access: TargetAccess): string {
  return `${access.roleArn ?? ''}|${access.externalId ?? ''}|${access.sessionName ?? ''}`;
}

/**
 * Client settings the SDK would otherwise resolve per client through its env -> shared-config-file
 * chain (each miss builds an error with a stack trace: ~1 ms per setting per client, seconds for a
 * fleet). Read once per factory from the environment's standard variables instead.
 */
interface ExplicitClientSettings {
  readonly useFipsEndpoint: boolean;
  readonly useDualstackEndpoint: boolean;
  readonly userAgentAppId: () => Promise<string | undefined>;
  readonly authSchemePreference: string[];
}

function explicitSettings(env: NodeJS.ProcessEnv): ExplicitClientSettings {
  const appId = env.AWS_SDK_UA_APP_ID || undefined;
  return {
    useFipsEndpoint: env.AWS_USE_FIPS_ENDPOINT === 'true',
    useDualstackEndpoint: env.AWS_USE_DUALSTACK_ENDPOINT === 'true',
    userAgentAppId: async () => appId,
    authSchemePreference: (env.AWS_AUTH_SCHEME_PREFERENCE ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

interface ClientConfig extends ExplicitClientSettings {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: string;
  requestHandler: NodeHttpHandler | LeaseRequestHandler;
  cacheMiddleware: boolean;
  endpoint?: string;
}

/** Refresh shared role credentials this long before they expire. */
const CREDENTIAL_REFRESH_MARGIN_MS = 5 * 60_000;

/** A role's shared credentials: the SDK calls it as a provider; `resolve` fetches them with an abort signal. */
type SharedCredentialsProvider = AwsCredentialIdentityProvider & { resolve(signal?: AbortSignal): Promise<AwsCredentialIdentity> };

/**
 * One AssumeRole for every client of a role: the SDK memoizes credentials per client, so without this
 * the KMS client of each Region and the SSO Admin client would each assume the role. A fetch that
 * fails (or is aborted) is forgotten: the next caller tries again.
 */
function shareCredentials(fetch: (signal?: AbortSignal) => Promise<AwsCredentialIdentity>): SharedCredentialsProvider {
  let value: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const resolve = async (signal?: AbortSignal): Promise<AwsCredentialIdentity> => {
    if (value && (!value.expiration || value.expiration.getTime() - Date.now() > CREDENTIAL_REFRESH_MARGIN_MS)) return value;
    pending ??= fetch(signal).then(
      (v) => {
        value = v;
        pending = undefined;
        return v;
      },
      (e: unknown) => {
        pending = undefined;
        throw e;
      },
    );
    return pending;
  };
  // The SDK passes identity properties, never a signal.
  return Object.assign(() => resolve(), { resolve });
}

/** The SDK's default provider chain (profiles, SSO, web identity, container, instance), loaded only when needed. */
function defaultProviderChain(env: NodeJS.ProcessEnv): AwsCredentialIdentityProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fromNodeProviderChain } = require('@aws-sdk/credential-providers') as typeof import('@aws-sdk/credential-providers');
  return fromNodeProviderChain({ profile: env.AWS_PROFILE });
}

/** Static credentials from an environment's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentialIdentity | undefined {
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return undefined;
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
  };
}
