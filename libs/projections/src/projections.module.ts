import { type DynamicModule, Module } from '@nestjs/common';
import { Projections, PROJECTION_OPTIONS, type ProjectionOptions } from './projections';

/** The read side: live projectors and the query services over their read models; one per process, so global. */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      providers: [{ provide: PROJECTION_OPTIONS, useValue: options }, Projections],
      exports: [Projections, PROJECTION_OPTIONS],
    };
  }
}
