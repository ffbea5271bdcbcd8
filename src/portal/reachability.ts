// Whether the portal may be asked now. After a failure the features wait before asking
// again, doubling the wait on each further failure up to a ceiling, so a portal that is
// down is not hammered by every open file and tree; one success ends the outage.

import { systemClock, type Clock } from './cache';
import type { PortalError } from './errors';

export interface ReachabilityOptions {
  clock?: Clock;
  /** The wait after the first failure. Default 15 s. */
  firstDelayMs?: number;
  /** The longest wait. Default 5 min. */
  maxDelayMs?: number;
}

export class Reachability {
  private readonly clock: Clock;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private failure: PortalError | undefined;
  private failedAt = 0;
  private delayMs = 0;
  private announced = false;

  constructor(options: ReachabilityOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.firstDelayMs = options.firstDelayMs ?? 15_000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
  }

  /** Whether a request may be sent now, or the wait after the last failure is not over. */
  mayRequest(): boolean {
    return this.failure === undefined || this.clock.now() - this.failedAt >= this.delayMs;
  }

  /** The failure of the outage under way, if any. */
  get lastFailure(): PortalError | undefined {
    return this.failure;
  }

  /** How long requests wait after the last failure (0 when they need not wait). */
  get currentDelayMs(): number {
    return this.delayMs;
  }

  /** Ends the outage, if any; true when there was one (the portal answers again). */
  reportSuccess(): boolean {
    if (this.failure === undefined) return false;
    this.failure = undefined;
    this.delayMs = 0;
    this.announced = false;
    return true;
  }

  /**
   * Starts or prolongs an outage. True for the first failure since the portal last
   * answered, so the user hears of an outage once, not once per request.
   */
  reportFailure(error: PortalError): boolean {
    this.failure = error;
    this.failedAt = this.clock.now();
    this.delayMs = this.delayMs === 0 ? this.firstDelayMs : Math.min(this.maxDelayMs, this.delayMs * 2);
    const first = !this.announced;
    this.announced = true;
    return first;
  }

  /** Lets the next request through at once (the user asked to retry); the outage lasts until a success. */
  resetBackoff(): void {
    this.delayMs = 0;
  }
}
