/**
 * Per-host politeness shared by every fetch: at most `concurrency` requests in flight to a host and
 * at least `minDelayMs` between the starts of two requests to it. The direct CLI path uses the
 * in-memory policy below; workers in several processes need one backed by shared state (Redis),
 * which only has to implement these two methods.
 */
export type ReleaseHost = () => void;

export interface HostPolicy {
  /**
   * Waits until a request to `host` may start, and returns the function that ends it. Rejects with
   * the signal's reason when the signal aborts while waiting.
   */
  acquire(host: string, minDelayMs: number, signal?: AbortSignal): Promise<ReleaseHost>;
  /** The host asked us to back off (429/503 Retry-After): no request starts before `delayMs` from now. */
  backoff(host: string, delayMs: number): void;
}

interface Waiter {
  minDelayMs: number;
  grant: (release: ReleaseHost) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface HostState {
  active: number;
  /** Earliest time the next request may start. */
  notBefore: number;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

/** Host states above this count are swept of idle entries, so a long crawl does not grow forever. */
const SWEEP_ABOVE = 1000;

export class InMemoryHostPolicy implements HostPolicy {
  readonly #concurrency: number;
  readonly #hosts = new Map<string, HostState>();

  constructor(options: { concurrency: number }) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new RangeError("host concurrency must be a positive integer");
    }
    this.#concurrency = options.concurrency;
  }

  acquire(host: string, minDelayMs: number, signal?: AbortSignal): Promise<ReleaseHost> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = this.#state(host);
    return new Promise<ReleaseHost>((resolve, reject) => {
      const waiter: Waiter = { minDelayMs, grant: resolve, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = state.waiters.indexOf(waiter);
          if (index >= 0) state.waiters.splice(index, 1);
          this.#pump(host, state);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      state.waiters.push(waiter);
      this.#pump(host, state);
    });
  }

  backoff(host: string, delayMs: number): void {
    const state = this.#state(host);
    state.notBefore = Math.max(state.notBefore, Date.now() + Math.max(0, delayMs));
    this.#pump(host, state);
  }

  /** Number of hosts with state kept, for tests and metrics. */
  get trackedHosts(): number {
    return this.#hosts.size;
  }

  #state(host: string): HostState {
    const key = host.toLowerCase();
    let state = this.#hosts.get(key);
    if (!state) {
      if (this.#hosts.size >= SWEEP_ABOVE) this.#sweep();
      state = { active: 0, notBefore: 0, waiters: [], timer: undefined };
      this.#hosts.set(key, state);
    }
    return state;
  }

  #pump(host: string, state: HostState): void {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    while (state.waiters.length > 0 && state.active < this.#concurrency) {
      const now = Date.now();
      if (now < state.notBefore) {
        state.timer = setTimeout(() => {
          state.timer = undefined;
          this.#pump(host, state);
        }, state.notBefore - now);
        return;
      }
      const waiter = state.waiters.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      state.active++;
      state.notBefore = now + waiter.minDelayMs;
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        state.active--;
        this.#pump(host, state);
      });
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, state] of this.#hosts) {
      if (state.active === 0 && state.waiters.length === 0 && state.notBefore <= now) this.#hosts.delete(key);
    }
  }
}
