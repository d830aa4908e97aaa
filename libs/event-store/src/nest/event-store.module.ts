import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '../event-store.port';
import type { FundtrailDatabase } from './fundtrail-database';

export const FUNDTRAIL_DATABASE = Symbol('FUNDTRAIL_DATABASE');

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/**
 * Provides a database the host opened (openDatabase) before creating the Nest application, so a
 * database that cannot be opened is the host's one-line error, not Nest's logged stack trace; the
 * database is closed when the application shuts down.
 */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(database: FundtrailDatabase): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: FUNDTRAIL_DATABASE, useValue: database },
        { provide: EVENT_STORE, useFactory: (db: FundtrailDatabase) => db.store, inject: [FUNDTRAIL_DATABASE] },
        { provide: DataSource, useFactory: (db: FundtrailDatabase) => db.dataSource, inject: [FUNDTRAIL_DATABASE] },
        DatabaseLifecycle,
      ],
      exports: [FUNDTRAIL_DATABASE, EVENT_STORE, DataSource],
    };
  }
}
