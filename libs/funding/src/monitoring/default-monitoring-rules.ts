import type { MonitoringRuleDefinition } from './monitoring-rule';

/** A public page a default threshold follows, with what it says (paraphrased). */
export interface RuleSource {
  title: string;
  url: string;
  says: string;
}

/** A rule a district starts from, with where its thresholds come from (docs/MONITORING.md explains each). */
export interface DefaultMonitoringRule {
  rule: MonitoringRuleDefinition;
  why: string;
  sources: RuleSource[];
}

const SCHEDULE_50_75_100: RuleSource = {
  title: '2019年财政资金项目执行情况通知（科研部，2019-05-09）',
  url: 'https://www.dxmuju.com/info/1092/12511.htm',
  says: 'financial-fund execution must reach at least 50% by 30 June, 75% by 30 September and 100% by the end of December, or the project leader is penalised',
};
const PROGRESS_AGAINST_SCHEDULE: RuleSource = {
  title: '2016年1-7月预算执行情况通报',
  url: 'http://bdt.semi.ac.cn/swgk/contents/549/8041.html',
  says: 'spending is reported against the 序时进度 (the share of the year elapsed): 56.47% by the end of July, 1.53 points below the schedule of 7/12',
};
const QUARTER_THREE_SIXTY: RuleSource = {
  title: '朔州市财政局：动态监控支出进度（2015-11-06）',
  url: 'http://czj.shuozhou.gov.cn/czdt/201511/t20151106_75060.html',
  says: 'units whose spending stood below 60% at the end of the third quarter were called to a spending-progress meeting; the bureau reports progress monthly and interviews the laggards',
};
const BONDS_NOT_SPENT_IN_TIME: RuleSource = {
  title: '常州市审计局：2020年至2022年常州市地方政府专项债券发行使用情况审计结果公告（2024-08-15）',
  url: 'https://www9599116.com/gi_news/322172431634996',
  says: 'new special-bond money not turned into spending within the required time (未在规定时间内形成支出) is an audit finding: money left sitting with the treasury or the project unit',
};
const IDLE_BONDS_REASSIGNED: RuleSource = {
  title: '财新网：财政部印发《地方政府专项债券用途调整操作指引》（2021-11-11）',
  url: 'http://economy.caixin.com/2021-11-11/101803608.html',
  says: 'idle special-bond money is a long-standing problem; the Ministry of Finance lets provinces re-assign bond money whose project no longer needs it or has money left over',
};
const DUAL_MONITORING: RuleSource = {
  title: '焦作市生态环境局：绩效名词解释4：绩效运行监控（2021-08-25）',
  url: 'http://sthjj.jiaozuo.gov.cn/article.thtml?id=14749',
  says: '双监控: the degree to which performance targets are met and the progress of budget execution are watched together, with prompts and warnings during the year and correction of what deviates',
};
const PERFORMANCE_MONITORING_RULES: RuleSource = {
  title: '地方预算绩效运行监控管理制度评价——基于22个省制度文本分析（福建江夏学院学报 2022年3期）',
  url: 'https://fx361.cc/page/2022/0909/11814735.shtml',
  says: "the Ministry of Finance's interim measures for performance monitoring (财预〔2019〕136号) made in-year monitoring of performance targets, between target setting and evaluation, a standard step that the provinces adopted",
};

/**
 * The rules a district would start from: one per kind, each threshold taken from a public rule of the
 * same kind. A district tunes them by posting new versions; nothing here is applied unless posted.
 */
export const DEFAULT_MONITORING_RULES: readonly DefaultMonitoringRule[] = [
  {
    rule: {
      ruleId: 'execution-schedule',
      kind: 'execution-lag',
      params: {
        basis: 'received',
        checkpoints: [
          { by: '06-30', minExecutionRate: '50.00' },
          { by: '09-30', minExecutionRate: '75.00' },
          { by: '12-31', minExecutionRate: '100.00' },
        ],
      },
    },
    why: '序时进度 at the quarter ends: half the money received spent by mid-year, three quarters by the end of September, all of it by the end of the year.',
    sources: [SCHEDULE_50_75_100, PROGRESS_AGAINST_SCHEDULE, QUARTER_THREE_SIXTY],
  },
  {
    rule: {
      ruleId: 'special-bond-idle',
      kind: 'idle-funds',
      params: { minUnspentPercent: '50.00', afterDays: 180, sources: ['special-bond'] },
    },
    why: "专项债闲置: the same half-by-half-time schedule, on each bond receipt's own clock: more than half of it unspent 180 days after it arrived.",
    sources: [BONDS_NOT_SPENT_IN_TIME, IDLE_BONDS_REASSIGNED, SCHEDULE_50_75_100],
  },
  {
    rule: { ruleId: 'output-schedule', kind: 'output-lag', params: { points: '25.00' } },
    why: '双监控: an output indicator more than a quarter of the year (25 points) behind the share of the fiscal year elapsed, the quarter being the cadence of the execution checkpoints.',
    sources: [DUAL_MONITORING, PERFORMANCE_MONITORING_RULES],
  },
  {
    rule: { ruleId: 'over-arrival', kind: 'over-arrival', params: {} },
    why: 'Money arrived beyond the planned total (资金到位率 above 100%) has no approved use in the plan: a candidate for re-assignment.',
    sources: [IDLE_BONDS_REASSIGNED],
  },
];
