import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BondProceedsSteps } from '../bond/bond-proceeds.steps';
import { FUNDING_HANDLERS } from './funding.handlers';
import { FundingRepositories } from './funding-repositories';
import { REPORT_HANDLERS } from '../report/report.handler';

/** The write side: command handlers over the event store (which the importing app provides globally). */
@Module({
  imports: [CqrsModule],
  providers: [FundingRepositories, BondProceedsSteps, ...FUNDING_HANDLERS, ...REPORT_HANDLERS],
  exports: [FundingRepositories, BondProceedsSteps, CqrsModule],
})
export class FundingModule {}
