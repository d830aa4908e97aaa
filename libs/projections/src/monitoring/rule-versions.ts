import type { RecordedEvent } from '@fundtrail/event-store';
import type { MonitoringRuleDefined, MonitoringRuleKind } from '@fundtrail/funding';
import { byCodeUnit } from '../figures/figure-terms';

export type RuleVersion = MonitoringRuleDefined['data'];

/** A rule with every version known, in version order. */
export interface MonitoredRule {
  ruleId: string;
  kind: MonitoringRuleKind;
  versions: readonly RuleVersion[];
}

/** The rule set's stream (in any order) as rules with their versions, by ruleId. */
export function monitoredRules(events: readonly RecordedEvent[]): MonitoredRule[] {
  const byRule = new Map<string, RuleVersion[]>();
  for (const event of events) {
    if (event.type !== 'MonitoringRuleDefined') continue;
    const version = event.data as RuleVersion;
    const versions = byRule.get(version.ruleId);
    if (versions === undefined) byRule.set(version.ruleId, [version]);
    else versions.push(version);
  }
  return [...byRule.keys()].sort(byCodeUnit).map((ruleId) => {
    const versions = byRule.get(ruleId)!.sort((a, b) => a.version - b.version);
    versions.forEach((version, index) => {
      // The decider numbers versions 1, 2, 3…; anything else is a broken log, not a rule.
      if (version.version !== index + 1) throw new Error(`monitoring rule ${ruleId}: version ${version.version} where ${index + 1} was expected`);
    });
    return { ruleId, kind: versions[0].kind, versions };
  });
}

/**
 * The version in force on a day: of the versions that apply from that day or earlier, the latest
 * posted. A later post supersedes an earlier one from its own effective day on, even when that day
 * lies before the earlier one's (a backdated correction; knownAt shows the rule as it stood before).
 */
export function versionInForce(rule: MonitoredRule, date: string): RuleVersion | undefined {
  let inForce: RuleVersion | undefined;
  for (const version of rule.versions) if (version.effectiveFrom <= date) inForce = version;
  return inForce;
}
