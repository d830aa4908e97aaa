import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Projections } from './projections';
import { READ_MODEL_QUERY_HANDLERS } from './queries/read-model.queries';
import { REPORT_QUERY_HANDLERS } from './reports/report.queries';

/** The read side: live projectors and the query handlers over their read models. */
@Module({ imports: [CqrsModule], providers: [Projections, ...READ_MODEL_QUERY_HANDLERS, ...REPORT_QUERY_HANDLERS], exports: [Projections] })
export class ProjectionsModule {}
