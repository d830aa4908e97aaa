import { CreateProcessStuckEvents1732000000350 } from '@fundtrail/funding';
import { CreateProgrammeReadModels1732000000220, CreateReadModels1732000000200, CreateReportReadModels1732000000400 } from '@fundtrail/projections';
import { CreateIdempotencyKeys1732000000100 } from './migrations/1732000000100-create-idempotency-keys';
import { StoreIdempotentAnswersAsBytes1732000000110 } from './migrations/1732000000110-store-idempotent-answers-as-bytes';
import { IdempotentAnswersFromTheLog1732000000120 } from './migrations/1732000000120-idempotent-answers-from-the-log';

/** Migrations beyond the event store's own, shared by the API and the CLI. */
export const APPLICATION_MIGRATIONS = [
  CreateIdempotencyKeys1732000000100,
  StoreIdempotentAnswersAsBytes1732000000110,
  IdempotentAnswersFromTheLog1732000000120,
  CreateReadModels1732000000200,
  CreateProgrammeReadModels1732000000220,
  CreateProcessStuckEvents1732000000350,
  CreateReportReadModels1732000000400,
];
