import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { FundingRuleViolation, type RuleCode } from '../shared/funding-rule-violation';

/**
 * Decider specs as given/when/then:
 * `spec(decide, evolve, initial).given([...events]).when(command).then([...events])`.
 * Uses node:assert (strict deep equality: Maps, bigints, and no `undefined` keys in events).
 */
export type Decide<C, E, S> = (command: C, state: S) => E[];
export type Evolve<E, S> = (state: S, event: E) => S;

export type ViolationExpectations = { field?: string; message?: RegExp };

export function spec<C, E, S>(decide: Decide<C, E, S>, evolve: Evolve<E, S>, initial: S) {
  return {
    given(history: E[]) {
      return {
        when(command: C) {
          const decision = () => decide(command, history.reduce(evolve, initial));
          return {
            then(expected: E[]): void {
              assert.deepStrictEqual(decision(), expected);
            },
            thenThrows(code: RuleCode, expectations: ViolationExpectations = {}): FundingRuleViolation {
              const violation = refusal(decision);
              assert.equal(violation.code, code, `expected ${code}, got ${violation.code}: ${violation.message}`);
              if ('field' in expectations) assert.equal(violation.field, expectations.field);
              if (expectations.message) assert.match(violation.message, expectations.message);
              return violation;
            },
          };
        },
      };
    },
  };
}

function refusal(decision: () => unknown): FundingRuleViolation {
  let events: unknown;
  try {
    events = decision();
  } catch (error) {
    if (error instanceof FundingRuleViolation) return error;
    throw error;
  }
  assert.fail(`expected a FundingRuleViolation, but the command was accepted: ${inspect(events, { depth: 4 })}`);
}
