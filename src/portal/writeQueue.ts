// The cache's writes, one after another: an older snapshot of a file never lands after a
// newer one, and a failed write is logged, never thrown into the work that asked for it.

import { messageOf } from '../util/errors';

export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly log: (message: string) => void) {}

  /** Runs `operation` after every write queued before it; `what` names it in the log. */
  enqueue(operation: () => Promise<void>, what: string): void {
    this.tail = this.tail.then(operation).catch((e: unknown) => {
      this.log(`Portal cache could not ${what}: ${messageOf(e)}`);
    });
  }

  /** Resolves when every write queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }
}
