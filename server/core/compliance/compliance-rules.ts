/**
 * The rules the compliance register applies, each with its source. "Decree 617" is the State
 * Council's school-bus regulation (校车安全管理条例, 国务院令第617号, 2012), which the Cixi bureau's
 * reply in the seeds (seeds/000) names as the rule it runs its 36 school buses by; the seeds quote
 * none of its articles, so they are cited here from the published decree.
 */

/**
 * Warnings ahead of a due date, in days: a notice from 30 days, amber from 7, red from 0 (the last
 * valid day itself, or any day after). The thresholds are the bureau's request for the register.
 */
export const noticeDays = 30
export const amberDays = 7

/**
 * Decree 617 art. 20: 校车应当每半年进行一次机动车安全技术检验 — a safety inspection every six
 * months, counted from the last one.
 */
export const inspectionEveryMonths = 6

/**
 * Decree 617 art. 26: 校车驾驶人每年应当接受公安机关交通管理部门的审验 — the driver's review every
 * year, counted from the last one.
 */
export const reviewEveryMonths = 12

/**
 * Decree 617 art. 38 asks the school and the operator to train attendants 定期 (regularly) without a
 * period, and the seeds name none: a year, the platform's default, like the driver's review.
 */
export const trainingEveryMonths = 12

/**
 * Decree 617 art. 23 (一): 年龄在25周岁以上、不超过60周岁. "以上" includes the limit (Civil Code
 * art. 1259), so a driver qualifies from the 25th birthday; "不超过60周岁" is read as the traffic
 * police apply it when they cancel the qualification: the 60th birthday is the last day on which
 * the driver may drive a school bus.
 */
export const minDriverAgeYears = 25
export const maxDriverAgeYears = 60

/** Decree 617 art. 23 (一): 具有3年以上驾驶经历 — three years from the first licence, inclusive. */
export const minDrivingYears = 3

/**
 * Decree 617 art. 23 (一): 取得相应准驾车型驾驶证 — a licence for the bus's class. The classes
 * come from the Ministry of Public Security's licence rules (机动车驾驶证申领和使用规定, 公安部令
 * 第162号): a bus for 20 or more (核载) is a large bus (大型客车, A1 only), one for 10 to 19 a medium
 * bus (中型客车: A1, A2, B1), a smaller one a small car (小型汽车: also A3, B2, C1).
 */
export function licenceClassesForSeats(seats: number): readonly string[] {
  if (seats >= 20) return ['A1']
  if (seats >= 10) return ['A1', 'A2', 'B1']
  return ['A1', 'A2', 'A3', 'B1', 'B2', 'C1']
}
