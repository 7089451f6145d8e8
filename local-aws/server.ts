/**
 * The HTTP front: classifies each request (KMS and SSO Admin by `X-Amz-Target`, STS by form body,
 * S3 by signing service), applies faults, verifies SigV4, dispatches to the service handlers and
 * writes the answer or the error in the caller's protocol. Keep-alive stays on.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type CallRecord } from './call-log';
import { AUTH_ERRORS, authErrorStatus, AwsError, isAwsError, type ProtocolFamily } from './errors';
import { Faults, type FaultSettings } from './faults';
import type { HandlerSettings, RequestContext } from './handler';
import { KMS_OPERATIONS } from './kms/handlers';
import { handleS3, s3Operation } from './s3/handlers';
import { loadScenario, seedFleet, type FleetSpec, type ScenarioInfo, type ScenarioName } from './scenarios';
import { Seeder, type LocalCredentials } from './seed';
import { AuthError, parseAuthorization, SigV4Verifier } from './sigv4';
import { ORGANIZATIONS_OPERATIONS } from './organizations/handlers';
import { SSO_OPERATIONS } from './sso/handlers';
import { LocalAwsState } from './state';
import { STS_OPERATIONS, STS_XMLNS } from './sts/handlers';
import { Tamper } from './tamper';
import { xmlDocument, type XmlObject } from './xml';

export interface LocalAwsOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Seed of every generated ID and injected fault. @default 1 */
  readonly seed?: number;
  /** World to load at start. @default 'empty' */
  readonly scenario?: ScenarioName;
  /** How long UpdateInstance stays UPDATING before it settles, in ms (0 settles at once). @default 50 */
  readonly instanceUpdateDelayMs?: number;
  /** Faults active from the start. @default none */
  readonly faults?: FaultSettings;
  /** Most call-log records kept. @default 100000 */
  readonly callLogLimit?: number;
}

/** Client settings for one seeded principal: spread into any SDK v3 client's constructor. */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** A running emulator. */
export interface LocalAws {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Direct access to the world (read and change it in tests). */
  readonly state: LocalAwsState;
  readonly seed: Seeder;
  readonly tamper: Tamper;
  /** Runtime fault switches. */
  readonly faults: Faults;
  /** The requests served so far, oldest first. */
  callLog(): readonly CallRecord[];
  clearCallLog(): void;
  loadScenario(name: ScenarioName): ScenarioInfo;
  seedFleet(spec: FleetSpec): ScenarioInfo;
  /** Moves the emulator's clock forward (sessions expire, deletion dates pass). */
  advanceClock(ms: number): void;
  /** SDK client settings for credentials (or an account's first long-term credentials). */
  clientConfig(who: string | LocalCredentials | LocalClientConfig['credentials'], region?: string): LocalClientConfig;
  /** Closes every connection and the server; pending instance updates are cancelled. */
  stop(): Promise<void>;
}

export const DEFAULT_INSTANCE_UPDATE_DELAY_MS = 50;
export const DEFAULT_CALL_LOG_LIMIT = 100_000;
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Target prefixes and the signing name each JSON service must be signed with. */
const JSON_SERVICES: Readonly<Record<string, { readonly service: string; readonly operations: typeof KMS_OPERATIONS }>> = {
  TrentService: { service: 'kms', operations: KMS_OPERATIONS },
  SWBExternalService: { service: 'sso', operations: SSO_OPERATIONS },
  AWSOrganizationsV20161128: { service: 'organizations', operations: ORGANIZATIONS_OPERATIONS },
};

interface Classified {
  readonly service: string;
  readonly family: ProtocolFamily;
  readonly operation: string;
  /** Parsed input for JSON and query services. */
  readonly input: Record<string, unknown>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!search) return out;
  for (const part of search.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, '%20'));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Decodes an STS query body (`Action=AssumeRole&RoleArn=...`), keeping nested members flat. */
function parseForm(body: Buffer): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries());
}

function classify(req: IncomingMessage, path: string, query: Record<string, string | string[]>, body: Buffer): Classified {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix, operation] = target.split('.');
    const svc = JSON_SERVICES[prefix];
    let input: Record<string, unknown> = {};
    try {
      const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
      // A JSON service's input is an object: null, a string or an array is as malformed as bad JSON.
      input = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { __malformed: true };
    } catch {
      input = { __malformed: true };
    }
    return { service: svc?.service ?? 'unknown', family: 'json', operation: operation ?? target, input };
  }
  const auth = parseAuthorization(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
  if (auth?.service === 's3') return { service: 's3', family: 's3', operation: s3Operation(req.method ?? 'GET', path, query), input: {} };
  const contentType = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && (contentType.startsWith('application/x-www-form-urlencoded') || auth?.service === 'sts')) {
    const input = parseForm(body);
    return { service: 'sts', family: 'sts', operation: String(input.Action ?? 'Unknown'), input };
  }
  // An unsigned REST request (no JSON target, no query form) can only be meant for S3: answer in its XML shape.
  if (!auth && ['GET', 'PUT', 'HEAD', 'DELETE'].includes(req.method ?? '')) {
    return { service: 's3', family: 's3', operation: s3Operation(req.method ?? 'GET', path, query), input: {} };
  }
  return { service: auth?.service ?? 'unknown', family: auth?.service === 'sts' ? 'sts' : 'json', operation: 'Unknown', input: {} };
}

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const seedValue = options.seed ?? 1;
  const state = new LocalAwsState(seedValue);
  const seed = new Seeder(state);
  const tamper = new Tamper(state, seed);
  const faults = new Faults(options.faults, seedValue);
  const log = new CallLog(options.callLogLimit ?? DEFAULT_CALL_LOG_LIMIT);
  /** Timers of calls waiting out their latency (cleared on stop). */
  const delays = new Set<NodeJS.Timeout>();
  const verifier = new SigV4Verifier(state);
  const settings: HandlerSettings = { instanceUpdateDelayMs: options.instanceUpdateDelayMs ?? DEFAULT_INSTANCE_UPDATE_DELAY_MS };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, 'json', new AwsError('InternalFailure', e instanceof Error ? e.message : String(e), 500));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = state.now();
    const body = await readBody(req);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
    const c = classify(req, path, query, body);
    const base = { time, service: c.service, operation: c.operation };

    if (faults.shouldDrop(c.operation)) {
      log.add({ ...base, status: 0, errorType: 'ConnectionDropped' });
      req.socket.destroy();
      return;
    }
    const latency = faults.latencyFor(c.operation);
    if (latency > 0) {
      await new Promise<void>((r) => {
        const timer = setTimeout(() => {
          delays.delete(timer);
          r();
        }, latency);
        delays.add(timer);
      });
    }

    let ctx: RequestContext | undefined;
    try {
      let auth;
      try {
        auth = await verifier.verify({ method: req.method ?? 'GET', path, query, headers: req.headers, body });
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        const family = c.family;
        const type = AUTH_ERRORS[e.failure][family];
        log.add({ ...base, accessKeyId: e.scope?.accessKeyId, region: e.scope?.region, status: authErrorStatus(e.failure, family), errorType: type });
        sendError(res, family, new AwsError(type, e.message, authErrorStatus(e.failure, family)));
        return;
      }
      const expectedService = c.family === 'json' ? Object.values(JSON_SERVICES).find((s) => s.service === c.service)?.service : c.service;
      if (expectedService !== undefined && auth.service !== expectedService) {
        throw new AwsError(AUTH_ERRORS.badSignature[c.family], `Credential should be scoped to correct service: '${expectedService}'.`, authErrorStatus('badSignature', c.family));
      }
      ctx = { state, settings, caller: auth.credential, accountId: auth.credential.accountId, region: auth.region };
      const who = { accountId: ctx.accountId, accessKeyId: auth.credential.accessKeyId, region: auth.region };

      const injected = faults.failureFor(c.operation, ctx.accountId);
      if (injected) throw new AwsError(injected.errorType, injected.message ?? `Injected fault for ${c.operation}.`, injected.status ?? 400);
      if (faults.shouldThrottle(c.operation)) {
        const throttle = c.family === 'json' ? 'ThrottlingException' : c.family === 'sts' ? 'Throttling' : 'SlowDown';
        throw new AwsError(throttle, 'Rate exceeded', c.family === 's3' ? 503 : 400);
      }

      if (c.family === 's3') {
        const out = handleS3(ctx, { method: req.method ?? 'GET', path, query, headers: req.headers, body });
        log.add({ ...base, ...who, status: out.status });
        res.writeHead(out.status, { ...out.headers, 'x-amz-request-id': randomUUID() });
        res.end(req.method === 'HEAD' ? undefined : out.body);
        return;
      }
      if (c.input.__malformed) throw new AwsError('SerializationException', 'The request body is not a JSON object.');
      const operations = c.family === 'sts' ? STS_OPERATIONS : JSON_SERVICES[String(req.headers['x-amz-target']).split('.')[0]]?.operations;
      const handler = operations?.[c.operation];
      if (!handler) throw new AwsError(c.family === 'sts' ? 'InvalidAction' : 'UnknownOperationException', `The local endpoint does not implement ${c.service}:${c.operation}.`);
      const result = (await handler(ctx, c.input)) as Record<string, unknown>;
      log.add({ ...base, ...who, status: 200 });
      if (c.family === 'sts') {
        const xml = xmlDocument(`${c.operation}Response`, { [`${c.operation}Result`]: result as XmlObject, ResponseMetadata: { RequestId: randomUUID() } }, STS_XMLNS);
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() });
        res.end(xml);
        return;
      }
      const json = JSON.stringify(result);
      res.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(json) });
      res.end(json);
    } catch (e) {
      const err = isAwsError(e) ? e : new AwsError('InternalFailure', e instanceof Error ? e.message : String(e), 500);
      log.add({ ...base, accountId: ctx?.accountId, accessKeyId: ctx?.caller.accessKeyId, region: ctx?.region, status: err.status, errorType: err.type });
      sendError(res, c.family, err, req.method === 'HEAD');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  if (options.scenario) loadScenario(seed, options.scenario);

  return {
    url,
    port,
    state,
    seed,
    tamper,
    faults,
    callLog: () => log.all(),
    clearCallLog: () => log.clear(),
    loadScenario: (name) => loadScenario(seed, name),
    seedFleet: (spec) => seedFleet(seed, spec),
    advanceClock: (ms) => state.advanceClock(ms),
    clientConfig: (who, region = 'us-east-1') => {
      const creds = typeof who === 'string' ? seed.credentialsFor(who) : who;
      return {
        endpoint: url,
        region,
        credentials: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          ...('sessionToken' in creds && creds.sessionToken ? { sessionToken: creds.sessionToken } : {}),
        },
      };
    },
    stop: async () => {
      for (const i of state.instances.values()) if (i.pendingUpdate) clearTimeout(i.pendingUpdate);
      // Calls still waiting out their latency are dropped with their connections.
      for (const timer of delays) clearTimeout(timer);
      delays.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes an error in the caller's protocol: awsJson `__type`, STS `<ErrorResponse>`, S3 `<Error>`. */
function sendError(res: ServerResponse, family: ProtocolFamily, err: AwsError, headOnly = false): void {
  const requestId = randomUUID();
  if (family === 'json') {
    const body = JSON.stringify({ __type: err.type, message: err.message, ...err.fields });
    res.writeHead(err.status, { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-errortype': err.type, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (family === 'sts') {
    const xml = xmlDocument('ErrorResponse', { Error: { Type: err.status >= 500 ? 'Receiver' : 'Sender', Code: err.type, Message: err.message }, RequestId: requestId }, STS_XMLNS);
    res.writeHead(err.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(xml);
    return;
  }
  const xml = xmlDocument('Error', { Code: err.type, Message: err.message, RequestId: requestId });
  res.writeHead(err.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
  res.end(headOnly ? undefined : xml);
}
