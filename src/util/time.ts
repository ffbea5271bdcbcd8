/**
 * `promise`'s value, or undefined once `ms` have passed first. The work goes on; only the
 * wait ends (a hover or a completion list must not hang on the portal).
 */
export function withinBudget<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
