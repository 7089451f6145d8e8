/**
 * `--timeout` for a whole switch: every AWS call gets the deadline's abort signal and is cut off at
 * the deadline, even while the SDK backs off between retries; a timeout is ENCRYPTION_TIMEOUT, and
 * pre-flight checks cut off by it are named as unanswered, never as refusals.
 */
import { IdcCmkError, isIdcCmkError } from '../core/errors';
import type { TargetAccess } from '../aws/clients';
import { statusCommand } from './status-command';
import type { EncryptionClients, InstanceTarget, WaitOptions } from './types';

/**
 * Runs a switch with every AWS call aborted at the deadline (real time): `--timeout` bounds the whole
 * command, SDK retries and a hung endpoint included, not only the waits between polls.
 */
export async function withinTimeout<T>(target: InstanceTarget & WaitOptions, clients: EncryptionClients, run: (bounded: EncryptionClients) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(target.timeoutSeconds * 1000);
  try {
    return await run(boundedClients(clients, signal));
  } catch (e) {
    if (!signal.aborted || (isIdcCmkError(e) && e.code === 'ENCRYPTION_TIMEOUT')) throw e;
    if (isIdcCmkError(e) && (e.code === 'PREFLIGHT_REFUSED' || e.code === 'PREFLIGHT_INCOMPLETE')) {
      // Checks that failed because their calls were cut off are "could not check", not refusals.
      const cut = e.details.filter((d) => /Abort/.test(d)).map((d) => d.split(':')[0]);
      throw new IdcCmkError('ENCRYPTION_TIMEOUT', `gave up after ${target.timeoutSeconds}s (--timeout) before the pre-flight could finish; nothing was changed`, {
        cause: e,
        details: [`unanswered when the time ran out: ${cut.join(', ') || 'a pre-flight call'}`, ...e.details.filter((d) => !/Abort/.test(d))],
        hint: 'run the command again with a longer --timeout (the calls that did not answer are listed)',
      });
    }
    throw new IdcCmkError('ENCRYPTION_TIMEOUT', `gave up after ${target.timeoutSeconds}s (--timeout) while ${messageOf(e)}. If UpdateInstance was called, the instance may still be UPDATING.`, {
      cause: e,
      hint: `check it with \`${statusCommand(target)}\`, then run the command again`,
    });
  }
}

type Sendable = { send(command: unknown, options?: Record<string, unknown>): Promise<unknown> };

/** The same clients, each call given the deadline's abort signal (paginators included: they call send). */
function boundedClients(clients: EncryptionClients, signal: AbortSignal): EncryptionClients {
  const bind = <C extends object>(client: C): C =>
    new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return (command: unknown, options?: Record<string, unknown>) =>
          abortable((target as unknown as Sendable).send(command, { ...(options ?? {}), abortSignal: signal }), signal);
      },
    });
  return {
    kms: (access) => bind(clients.kms(access)),
    ssoAdmin: (access) => bind(clients.ssoAdmin(access)),
    ...(clients.organizations ? { organizations: (access: TargetAccess) => bind(clients.organizations!(access)) } : {}),
    ...(clients.resolveCredentials ? { resolveCredentials: (access: TargetAccess) => abortable(clients.resolveCredentials!(access, signal), signal) } : {}),
  };
}

/**
 * The call's promise, rejected as soon as `signal` aborts: the SDK honours the signal on the wire but
 * not while it sleeps between retries (throttling backs off for seconds), which overshot --timeout.
 */
export function abortable<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = (): Error => Object.assign(new Error('Request aborted (--timeout)'), { name: 'AbortError' });
  if (signal.aborted) {
    call.catch(() => undefined);
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      call.catch(() => undefined);
      reject(aborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
