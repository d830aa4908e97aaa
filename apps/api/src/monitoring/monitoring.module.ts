import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { MONITORING_HANDLERS, MonitoringReadSide } from './monitoring.commands';
import { MonitoringRulesController } from './monitoring-rules.controller';
import { MonitoringWarningsController } from './monitoring-warnings.controller';

/** 双监控 over HTTP: the rule set, warnings computed on read, dispositions as events. */
@Module({
  imports: [CqrsModule],
  controllers: [MonitoringRulesController, MonitoringWarningsController],
  providers: [MonitoringReadSide, ...MONITORING_HANDLERS],
})
export class MonitoringModule {}
