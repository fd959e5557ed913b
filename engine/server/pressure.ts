// Whether the service is under pressure: event-loop delay, heap, resident memory. Sampled on a
// timer that can never throw. @fastify/under-pressure did this before, but its timer calls
// process.memoryUsage(), which throws EMFILE once connections have taken every file descriptor
// (it reads /proc), and that uncaught throw ended the process; nor did it watch resident memory
// as a limit by default, while request bodies (Buffers) live outside the heap.
import { getHeapStatistics } from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Each limit, when 0, is not checked. */
export interface PressureLimits {
  /** Mean event-loop delay (ms) past which, in two samples running (a second), the service is under pressure. */
  readonly maxEventLoopDelay: number;
  readonly maxHeapUsedBytes: number;
  readonly maxRssBytes: number;
}

export interface PressureReading {
  readonly eventLoopDelayMs: number;
  readonly heapUsedBytes: number;
  /** Undefined when it could not be read (no file descriptor left: itself a sign of pressure). */
  readonly rssBytes: number | undefined;
}

export interface Pressure {
  /** Why the service is under pressure now, or undefined when it is not. */
  readonly reason: () => string | undefined;
  readonly reading: () => PressureReading;
  readonly stop: () => void;
}

const SAMPLE_MS = 500;

export function watchPressure(limits: PressureLimits): Pressure {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let current: PressureReading = { eventLoopDelayMs: 0, heapUsedBytes: 0, rssBytes: 0 };
  // One slow moment (a large batch, a collection) is not overload: the loop must lag in two samples running.
  let laggedSamples = 0;
  const sample = () => {
    let rssBytes: number | undefined;
    try {
      rssBytes = process.memoryUsage.rss();
    } catch {
      rssBytes = undefined;
    }
    // The histogram's mean includes its own resolution; what is left is the lag.
    const mean = Number.isNaN(delay.mean) ? 0 : delay.mean / 1e6 - 10;
    current = { eventLoopDelayMs: Math.max(0, mean), heapUsedBytes: getHeapStatistics().used_heap_size, rssBytes };
    laggedSamples = limits.maxEventLoopDelay > 0 && current.eventLoopDelayMs > limits.maxEventLoopDelay ? laggedSamples + 1 : 0;
    delay.reset();
  };
  sample();
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      // Nothing a sample does is expected to throw; if it does, the last reading stands.
    }
  }, SAMPLE_MS);
  timer.unref();
  return {
    reading: () => current,
    reason: () => {
      const r = current;
      if (laggedSamples >= 2) return 'event loop delay';
      if (limits.maxHeapUsedBytes > 0 && r.heapUsedBytes > limits.maxHeapUsedBytes) return 'heap';
      if (r.rssBytes === undefined) return 'file descriptors';
      if (limits.maxRssBytes > 0 && r.rssBytes > limits.maxRssBytes) return 'resident memory';
      return undefined;
    },
    stop: () => {
      clearInterval(timer);
      delay.disable();
    },
  };
}
