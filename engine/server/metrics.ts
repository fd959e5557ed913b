// Prometheus metrics of one service instance, in a registry of its own.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the service holds at the moment of a scrape: its slots by kind and the body bytes it is reading. */
export interface InFlight {
  readonly slots: Readonly<Record<'decisions' | 'metrics' | 'batches', number>>;
  readonly bodyBytes: number;
}

export function createMetrics(inFlight: () => InFlight) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tiaoli_' });
  return {
    registry,
    decisions: new Counter({ name: 'tiaoli_decisions_total', help: 'Decisions made, by event type and outcome', labelNames: ['type', 'outcome'] as const, registers: [registry] }),
    decisionSeconds: new Histogram({
      name: 'tiaoli_decision_duration_seconds',
      help: 'Time to validate and decide one event',
      buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05],
      registers: [registry],
    }),
    logWriteSeconds: new Histogram({
      name: 'tiaoli_log_write_duration_seconds',
      help: 'Time until a decision is durably logged',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    errors: new Counter({ name: 'tiaoli_errors_total', help: 'Requests answered with an error, by code', labelNames: ['code'] as const, registers: [registry] }),
    inFlight: new Gauge({
      name: 'tiaoli_requests_in_flight',
      help: 'Requests holding a slot, by kind (decisions, metrics scrapes, batches)',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        for (const [kind, n] of Object.entries(inFlight().slots)) this.set({ kind }, n);
      },
    }),
    bodyBytes: new Gauge({
      name: 'tiaoli_request_body_bytes_in_flight',
      help: 'Bytes of request bodies read and not yet answered, against the service-wide budget',
      registers: [registry],
      collect() {
        this.set(inFlight().bodyBytes);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
