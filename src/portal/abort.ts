// Waiting on shared work that one caller may stop waiting for: the work goes on for the
// others, the caller gets a 'cancelled' error at once.

import { PortalError } from './errors';

export function cancelled(): PortalError {
  return new PortalError('cancelled', 'The request to the Mod Portal was cancelled');
}

/** Waits for `promise`, or rejects with 'cancelled' when `signal` aborts first. */
export function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
