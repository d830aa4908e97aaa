import assert from 'node:assert/strict';
import { projectEvents } from '../figures/figure-events.testing';
import { TestLedger } from './monitoring.testing';
import { inScope, projectContextOf, type ProgrammeNode } from './project-context';

const programmes: ProgrammeNode[] = [
  { programmeId: 'urban-renewal' },
  { programmeId: 'shantytowns', parentId: 'urban-renewal' },
  { programmeId: 'changpo', parentId: 'shantytowns' },
  { programmeId: 'rural-roads' },
];

describe('a rule scope (the portfolio filters)', () => {
  const context = { programme: 'changpo', region: 'yunnan/kunming/xishan', department: '区住建局', category: 'urban-renewal', fiscalYear: 2024 };

  it.each<[string, object, boolean]>([
    ['no scope', {}, true],
    ['the programme itself', { programme: 'changpo' }, true],
    ['an ancestor programme', { programme: 'urban-renewal' }, true],
    ['another programme', { programme: 'rural-roads' }, false],
    ['a broader region', { region: 'yunnan/kunming' }, true],
    ['the same region', { region: 'yunnan/kunming/xishan' }, true],
    ['a region that only shares a prefix of letters', { region: 'yunnan/kunmin' }, false],
    ['department, category and year exactly', { department: '区住建局', category: 'urban-renewal', fiscalYear: 2024 }, true],
    ['another fiscal year', { fiscalYear: 2023 }, false],
  ])('%s: %j selects it: %s', (_, scope, selected) => {
    assert.equal(inScope(context, scope, programmes), selected);
  });

  it('selects nothing by a field the project does not record', () => {
    assert.equal(inScope({ category: 'drainage' }, { region: 'yunnan' }, programmes), false);
    assert.equal(inScope({ category: 'drainage' }, { programme: 'urban-renewal' }, programmes), false);
    assert.equal(inScope({ category: 'drainage' }, { fiscalYear: 2024 }, programmes), false);
  });

  it('stops on a programme list that loops', () => {
    const looping: ProgrammeNode[] = [
      { programmeId: 'a', parentId: 'b' },
      { programmeId: 'b', parentId: 'a' },
    ];
    assert.equal(inScope({ programme: 'a' }, { programme: 'c' }, looping), false);
  });

  it('reads the context off the stream: its registration, then its latest programme', () => {
    const ledger = new TestLedger();
    ledger.project(
      'p',
      {
        type: 'ProjectRegistered',
        data: { projectId: 'p', name: 'P', category: 'drainage', fiscalYear: 2024, programmeId: 'shantytowns', region: 'yunnan/kunming' },
      },
      '2024-01-01',
    );
    ledger.project('p', projectEvents('p').received('r', '1.00'), '2024-01-02');
    ledger.project(
      'p',
      { type: 'ProjectProgrammeChanged', data: { projectId: 'p', programmeId: 'changpo', reason: 'moved', previousProgrammeId: 'shantytowns' } },
      '2024-02-01',
    );
    assert.deepStrictEqual(projectContextOf(ledger.events), { programme: 'changpo', region: 'yunnan/kunming', category: 'drainage', fiscalYear: 2024 });
  });
});
