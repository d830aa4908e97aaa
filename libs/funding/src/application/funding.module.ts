import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FUNDING_HANDLERS, FundingRepositories } from './funding.handlers';
import { REPORT_HANDLERS } from '../report/report.handler';

/** The write side: command handlers over the event store (which the importing app provides globally). */
@Module({
  imports: [CqrsModule],
  providers: [FundingRepositories, ...FUNDING_HANDLERS, ...REPORT_HANDLERS],
  exports: [FundingRepositories, CqrsModule],
})
export class FundingModule {}
