import { Module } from '@nestjs/common';
import { ExportCommand } from './commands/export.command';
import { MonitoringPageCommand } from './commands/monitoring-page.command';
import { ServeCommand } from './commands/serve.command';
import { RebuildCommand } from './commands/rebuild.command';
import { ReconcileCommand } from './commands/reconcile.command';
import { SeedCommand } from './commands/seed.command';
import { TokenCommand } from './commands/token.command';
import { VerifyCommand } from './commands/verify.command';

/** Commands open the database themselves when they need it, so `token` and `--help` never start one. */
@Module({ providers: [TokenCommand, RebuildCommand, VerifyCommand, ExportCommand, SeedCommand, ReconcileCommand, ServeCommand, MonitoringPageCommand] })
export class CliModule {}
