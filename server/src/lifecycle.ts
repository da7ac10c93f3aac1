// Start and stop of one server process: readiness, requests in flight, and a signal long-lived streams follow
// so that a deploy (SIGTERM) finishes what is running, tells live streams to reconnect elsewhere, then exits.
export class Lifecycle {
  private readonly stopping = new AbortController();
  private inFlight = 0;
  private idle: (() => void)[] = [];

  /** Aborted when the process starts shutting down: SSE streams end with a reconnect hint. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** True once shutdown began: /readyz answers 503 so load balancers stop sending new requests. */
  get draining(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Counts a request until its handler has answered (a streamed body may go on; streams follow `signal`). */
  async track<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn();
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Starts draining and resolves when no request is in flight, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<'idle' | 'timeout'> {
    this.stopping.abort();
    if (this.inFlight === 0) return 'idle';
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve('idle');
      });
    });
  }
}
