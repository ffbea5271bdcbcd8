// Waiting on shared work that one caller may stop waiting for: the work goes on for the
// others, the caller gets a 'cancelled' error at once.

import { cancelledError } from './errors';

/**
 * Waits for `promise`, or rejects with 'cancelled' (naming `url`) when `signal` aborts
 * first; `onAbort` then runs too, so a shared piece of work can count who still waits.
 */
export function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal, options: { url?: string; onAbort?: () => void } = {}): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    options.onAbort?.();
    return Promise.reject(cancelledError(options.url));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      options.onAbort?.();
      reject(cancelledError(options.url));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
