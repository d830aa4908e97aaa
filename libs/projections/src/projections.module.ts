import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Projections, PROJECTION_OPTIONS, type ProjectionOptions } from './projections';
import { READ_MODEL_QUERY_HANDLERS } from './queries/read-model.query-handlers';
import { FIGURES_IN_TIME_QUERY_HANDLERS } from './figures-in-time/figures-in-time.queries';
import { REPORT_QUERY_HANDLERS } from './reports/report.queries';

/** The read side: live projectors and the query handlers over their read models. */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      imports: [CqrsModule],
      providers: [{ provide: PROJECTION_OPTIONS, useValue: options }, Projections, ...READ_MODEL_QUERY_HANDLERS, ...FIGURES_IN_TIME_QUERY_HANDLERS, ...REPORT_QUERY_HANDLERS],
      exports: [Projections, PROJECTION_OPTIONS],
    };
  }
}
