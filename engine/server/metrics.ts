// Prometheus metrics of one service instance, in a registry of its own.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
