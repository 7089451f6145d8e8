import { KMSClient } from '@aws-sdk/client-kms';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import type { LocalAws, LocalClientConfig } from '../../local-aws';

/** SDK clients for one principal, with retries off unless asked. */
export function clients(local: LocalAws, who: Parameters<LocalAws['clientConfig']>[0], region = 'us-east-1', maxAttempts = 1) {
  const config: LocalClientConfig & { maxAttempts: number } = { ...local.clientConfig(who, region), maxAttempts };
  return { kms: new KMSClient(config), sso: new SSOAdminClient(config), sts: new STSClient(config) };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; Reason?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A policy's meaning as a canonical string: order, one-element arrays and account-ID shorthand ignored. */
export function policyMeaning(text: string): string {
  const canon = (v: Json, key?: string): Json => {
    if (Array.isArray(v)) return v.map((x) => canon(x, key)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => {
        const inner = v[k];
        const listy = ['Action', 'NotAction', 'Resource', 'NotResource', 'AWS', 'Service'].includes(k) || key === 'Condition-block';
        const asList = listy && !Array.isArray(inner) ? [inner] : inner;
        return [k, canon(asList, k === 'Condition' ? 'Condition' : key === 'Condition' ? 'Condition-block' : k)];
      }));
    }
    if (typeof v === 'string' && key === 'AWS' && /^\d{12}$/.test(v)) return `arn:aws:iam::${v}:root`;
    return v;
  };
  const doc = JSON.parse(text) as { [k: string]: Json };
  return JSON.stringify(canon(doc));
}
