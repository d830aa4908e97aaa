import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Projections } from '@fundtrail/projections';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per process (tests create several apps in one process, so not the global one). */
@Injectable()
export class FundtrailMetrics {
  readonly registry = new Registry();
  readonly eventsAppended = new Counter({
    name: 'fundtrail_events_appended_total',
    help: 'Events appended to the log by this process',
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'fundtrail_projection_lag_positions',
    help: 'Log head position minus the projector checkpoint, per projector',
    labelNames: ['projector'],
    registers: [this.registry],
  });
  readonly processStuckEvents = new Gauge({
    name: 'fundtrail_process_manager_stuck_events',
    help: 'Events a process manager cannot act on: recorded, passed, and retried with backoff',
    labelNames: ['process'],
    registers: [this.registry],
  });
  readonly processFailures = new Counter({
    name: 'fundtrail_process_manager_failures_total',
    help: 'Failed attempts of a process manager: refused (the event is recorded as stuck) or unavailable (the store; retried in place)',
    labelNames: ['process', 'kind'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'fundtrail_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: FundtrailMetrics,
    private readonly projections: Projections,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    try {
      for (const [projector, lag] of Object.entries(await this.projections.lag())) {
        this.metrics.projectionLag.set({ projector }, Number(lag));
      }
    } catch {
      // database down: the other metrics are still worth scraping
    }
    return this.metrics.registry.metrics();
  }
}
