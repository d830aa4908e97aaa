import { EventStoreUnavailableError, WrongExpectedVersionError } from '@fundtrail/event-store';
import { FundingRuleViolation } from '../shared/funding-rule-violation';
import { DecimalFormatError } from '@fundtrail/money';
import { storeUnavailable } from './bond-proceeds.catch-up';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('storeUnavailable: what the bond process retries in place rather than records as stuck', () => {
  it.each([
    ['the port says the store is unavailable', new EventStoreUnavailableError('down', undefined)],
    ['a concurrent writer outran every retry', new WrongExpectedVersionError('project-p', 1n, 2n)],
    ['the server shut the connection (57P01)', pgError('57P01')],
    ['too many connections (53300)', pgError('53300')],
    ['connection refused', pgError('ECONNREFUSED')],
    ['a connection failure class (08006)', pgError('08006')],
  ])('%s: retried in place', (_name, error) => {
    expect(storeUnavailable(error)).toBe(true);
  });

  it.each([
    ['the receipt id is taken', new FundingRuleViolation('DUPLICATE_ID', 'Receipt bond-… already exists', 'receiptId')],
    ['the project does not exist', new FundingRuleViolation('PROJECT_NOT_FOUND', 'Project p is not registered', 'projectId')],
    ['an amount that is not an amount', new DecimalFormatError('malformed', 'forty', 'amount is not a decimal')],
    ['a bug or unreadable data', new TypeError("Cannot read properties of undefined (reading 'kind')")],
    ['a constraint the data breaks (23505)', pgError('23505')],
  ])('%s: the event is refused, recorded as stuck, and passed', (_name, error) => {
    expect(storeUnavailable(error)).toBe(false);
  });
});
