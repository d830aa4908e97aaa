/**
 * The default monitoring rules against the xishan-2024 data, with no database: the seed's commands
 * replayed through the deciders (and the bond process manager), as the seed loader sends them.
 * Pins which projects the default rules warn of on the report's 截至 date, 2024-08-31.
 */
import assert from 'node:assert/strict';
import { evaluateDefaultRules } from '@fundtrail/projections';
import { replayDataset } from '../../apps/cli/src/monitoring/dataset-replay';

describe('the default monitoring rules on the xishan-2024 data', () => {
  const { projects } = replayDataset('xishan-2024');

  it('covers all eleven projects', () => {
    assert.equal(projects.length, 11);
  });

  it('warns of two lags as of 2024-08-31', () => {
    const warnings = evaluateDefaultRules(projects, '2024-08-31');
    assert.deepStrictEqual(
      warnings.map(({ projectId, ruleId, subject, raisedAsOf, figure, value, threshold }) => ({ projectId, ruleId, subject, raisedAsOf, figure, value, threshold })),
      [
        {
          // 20个子项目中有5个项目已经完成竣工验收 (截止2024年8月31日): 5 / 20 = 25.00%. The project's
          // fiscal year 2023 is over: 100% elapsed, less 25 points = 75.00. Known from the report's date on.
          projectId: 'provincial-new-infrastructure-2023-batch1',
          ruleId: 'output-schedule',
          subject: 'indicator/subprojects-accepted/2023',
          raisedAsOf: '2024-08-31',
          figure: 'output_completion:subprojects-accepted',
          value: '25.00',
          threshold: '75.00',
        },
        {
          // 10,269万元 received in 2023, 3,080.7万元 paid by August 2024: 30.00% < 50% by 30 June (and
          // 0% on 30 June itself: the payment is dated on the report's 截至 date).
          projectId: 'xishan-gas-pipeline-renewal-2022',
          ruleId: 'execution-schedule',
          subject: 'checkpoint/2024-06-30',
          raisedAsOf: '2024-06-30',
          figure: 'execution_rate',
          value: '30.00',
          threshold: '50.00',
        },
      ],
    );
  });
});
