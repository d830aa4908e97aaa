import { Module } from '@nestjs/common';
import { TokenCommand } from './commands/token.command';

/** Commands open the database themselves when they need it, so `token` and `--help` never start one. */
@Module({ providers: [TokenCommand] })
export class CliModule {}
