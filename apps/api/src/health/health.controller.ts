import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { FUNDTRAIL_DATABASE, type FundtrailDatabase } from '@fundtrail/event-store';
import { BondProceedsCatchUp, type ProcessManagerHealth } from '@fundtrail/funding';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  live: true;
  ready: boolean;
  store: string;
  checks: { database: 'up' | 'down'; migrations: 'applied' | 'pending' | 'unknown' };
  /** Each process manager's progress: a stuck one keeps the API ready, but says which events it cannot act on. */
  processManagers: Record<string, ProcessManagerHealth>;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase,
    private readonly bondProceeds: BondProceedsCatchUp,
  ) {}

  /** Liveness is answering at all; readiness is the database reachable with every migration applied. */
  @Get()
  @ApiOkResponse({
    description:
      'live and ready. processManagers["bond-proceeds"]: status ok | stuck (assignments it cannot receive: listed with code, detail, attempts, next attempt) | unavailable (the store; retrying) | off',
  })
  @ApiServiceUnavailableResponse({ description: 'live but not ready (database down or migrations pending)' })
  async health(@Res() response: Response): Promise<void> {
    const report = await this.check();
    response.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }

  private async check(): Promise<HealthReport> {
    let database: 'up' | 'down' = 'down';
    let migrations: 'applied' | 'pending' | 'unknown' = 'unknown';
    try {
      await this.database.pool.query('SELECT 1');
      database = 'up';
      migrations = (await this.database.dataSource.showMigrations()) ? 'pending' : 'applied';
    } catch {
      // reported as down/unknown below
    }
    const ready = database === 'up' && migrations === 'applied';
    const processManagers = { 'bond-proceeds': await this.bondProceeds.health(database === 'up') };
    return { status: ready ? 'ok' : 'unavailable', live: true, ready, store: this.database.mode, checks: { database, migrations }, processManagers };
  }
}
