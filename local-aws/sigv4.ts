/**
 * SigV4 verification of every request. The signature is recomputed with `@smithy/signature-v4` (the
 * same code the SDK signs with) from the secret of the access key named in the Authorization header,
 * over exactly the headers the client says it signed, then compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';
import type { CredentialRecord, LocalAwsState } from './state';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a request's x-amz-date may be from the emulator's wall clock, as in AWS. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Payload hashes that mean "the body is not part of the signature". */
const UNSIGNED_PAYLOADS = new Set(['UNSIGNED-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER']);

/** node:crypto behind smithy's Checksum interface (HMAC when constructed with a secret). */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.create();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** What a verified request acts as. */
export interface Authenticated {
  readonly credential: CredentialRecord;
  /** Region and service from the credential scope. */
  readonly region: string;
  readonly service: string;
}

/** Why a request was refused; the server maps it to each protocol's error name. */
export class AuthError extends Error {
  constructor(
    public readonly failure: 'unknownAccessKey' | 'badSignature' | 'expiredToken' | 'missingAuth',
    message: string,
    /** What could be parsed before failing, for the call log. */
    public readonly scope?: { readonly accessKeyId?: string; readonly region?: string; readonly service?: string },
  ) {
    super(message);
  }
}

export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** Parses an Authorization header; undefined when it is not SigV4. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | undefined {
  if (!header) return undefined;
  const m = AUTH_PATTERN.exec(header.trim());
  if (!m) return undefined;
  return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4], signedHeaders: m[5].split(';'), signature: m[6] };
}

/** The request as received, reduced to what SigV4 covers. */
export interface ReceivedRequest {
  readonly method: string;
  /** The raw (still percent-encoded) path. */
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export class SigV4Verifier {
  private readonly signers = new Map<string, SignatureV4>();

  constructor(private readonly state: LocalAwsState) {}

  /** Verifies the request or throws {@link AuthError}. */
  async verify(req: ReceivedRequest): Promise<Authenticated> {
    const header = headerValue(req.headers.authorization);
    const auth = parseAuthorization(header);
    if (!auth) throw new AuthError('missingAuth', 'Request is missing a valid SigV4 Authorization header.');
    const scope = { accessKeyId: auth.accessKeyId, region: auth.region, service: auth.service };
    const credential = this.state.credentials.get(auth.accessKeyId);
    if (!credential) throw new AuthError('unknownAccessKey', 'The security token included in the request is invalid.', scope);

    const amzDate = headerValue(req.headers['x-amz-date']);
    const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
    if (!signingDate || !amzDate!.startsWith(auth.date)) {
      throw new AuthError('badSignature', 'The request must carry an x-amz-date matching its credential scope.', scope);
    }
    if (Math.abs(Date.now() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
      throw new AuthError('badSignature', `Signature expired: ${amzDate} is more than 15 minutes from the server time.`, scope);
    }
    if (!auth.signedHeaders.includes('host')) throw new AuthError('badSignature', "'Host' must be a signed header.", scope);

    const payloadHeader = headerValue(req.headers['x-amz-content-sha256']);
    if (payloadHeader !== undefined && !UNSIGNED_PAYLOADS.has(payloadHeader)) {
      const actual = createHash('sha256').update(req.body).digest('hex');
      if (actual !== payloadHeader) throw new AuthError('badSignature', 'The provided x-amz-content-sha256 header does not match what was computed.', scope);
    }

    const signed: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const v = headerValue(req.headers[name]);
      if (v === undefined) throw new AuthError('badSignature', `Signed header ${name} is missing from the request.`, scope);
      signed[name] = v;
    }
    // AWS checks the session token before the signature: a missing or wrong token is "invalid token".
    if (credential.sessionToken !== undefined && headerValue(req.headers['x-amz-security-token']) !== credential.sessionToken) {
      throw new AuthError('unknownAccessKey', 'The security token included in the request is invalid.', scope);
    }
    const signer = this.signerFor(credential, auth.region, auth.service);
    const result = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: '127.0.0.1', path: req.path, query: req.query as Record<string, string>, headers: signed, body: req.body },
      { signingDate, signableHeaders: new Set(auth.signedHeaders) },
    );
    const expected = parseAuthorization(headerValue((result.headers as Record<string, string>).authorization));
    if (!expected || !constantTimeEqual(expected.signature, auth.signature)) {
      throw new AuthError('badSignature', 'The request signature we calculated does not match the signature you provided.', scope);
    }
    if (credential.expiresAt !== undefined && credential.expiresAt <= this.state.now()) {
      throw new AuthError('expiredToken', 'The security token included in the request is expired', scope);
    }
    return { credential, region: auth.region, service: auth.service };
  }

  private signerFor(credential: CredentialRecord, region: string, service: string): SignatureV4 {
    const cacheKey = `${credential.accessKeyId}/${region}/${service}`;
    let signer = this.signers.get(cacheKey);
    if (!signer) {
      signer = new SignatureV4({
        credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey, sessionToken: credential.sessionToken },
        region,
        service,
        sha256: NodeSha256,
        // S3 signs the path as sent; every other service double-encodes it.
        uriEscapePath: service !== 's3',
        applyChecksum: false,
      });
      this.signers.set(cacheKey, signer);
    }
    return signer;
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}

/** `20261123T165452Z` -> Date. */
export function parseAmzDate(v: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
