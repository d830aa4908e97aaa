import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '../event-store.port';
import { type DatabaseSettings, type FundtrailDatabase, openDatabase } from './fundtrail-database';

export const FUNDTRAIL_DATABASE = Symbol('FUNDTRAIL_DATABASE');

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(FUNDTRAIL_DATABASE) private readonly database: FundtrailDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/** Opens the database (starting the embedded one when no URL is configured) and provides the event store. */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(settings: () => DatabaseSettings | Promise<DatabaseSettings>): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: FUNDTRAIL_DATABASE, useFactory: async () => openDatabase(await settings()) },
        { provide: EVENT_STORE, useFactory: (db: FundtrailDatabase) => db.store, inject: [FUNDTRAIL_DATABASE] },
        { provide: DataSource, useFactory: (db: FundtrailDatabase) => db.dataSource, inject: [FUNDTRAIL_DATABASE] },
        DatabaseLifecycle,
      ],
      exports: [FUNDTRAIL_DATABASE, EVENT_STORE, DataSource],
    };
  }
}
