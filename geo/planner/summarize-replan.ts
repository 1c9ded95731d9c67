import type { RideGroup } from './custom-bus-routes.js'
import type { FullReplanReason, ReplannedGroup, ReplanSummary } from './plan-model.js'
import type { PlanBase } from './plan-workings.js'

/** What a what-if planned again and what it kept of its base. */
export function summarizeReplan(replan: {
  kept: PlanBase | null
  fullReason: FullReplanReason | null
  groups: RideGroup[]
  /** Which groups kept their base's routes. */
  frozen: boolean[]
  /** Signatures of this plan's micro-bus runs. */
  microRuns: string[]
  /** The line riders' plan behind the comparison, when there was one. */
  lineRiders: ReplanSummary | undefined
}): ReplanSummary {
  const { kept, fullReason, groups, frozen, microRuns, lineRiders } = replan
  const baseRuns = new Set(kept?.workings.microRuns ?? [])
  const keptRuns = microRuns.filter((run) => baseRuns.has(run)).length
  return {
    mode: kept ? 'partial' : 'full',
    reason: fullReason,
    groups: groups.filter((_, g) => !frozen[g]).map(describeGroup),
    reusedGroups: frozen.filter(Boolean).length,
    microRuns: { retimed: microRuns.length - keptRuns, kept: keptRuns },
    comparison: lineRiders
      ? {
          groups: lineRiders.groups.length,
          reusedGroups: lineRiders.reusedGroups,
        }
      : null,
  }
}

function describeGroup(group: RideGroup): ReplannedGroup {
  return {
    key: group.key,
    schoolId: group.school.id,
    direction: group.direction,
    timeS: group.timeS,
    waveId: group.waveId,
    pupils: [...group.pupilsByStop.values()].reduce((sum, ids) => sum + ids.length, 0),
  }
}
