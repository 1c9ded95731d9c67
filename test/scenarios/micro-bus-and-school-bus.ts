import type { PositionRow } from '../../server/core/broker/telemetry-rows.js'
import type { Queryable } from '../../server/core/store/database.js'
import type { RoadNetwork } from '../../geo/roads/road-network.js'
import type { LonLatPosition } from '../../geo/lat-lon.js'

/**
 * One road along which, on Monday 2 March 2026 at 07:06 (Asia/Shanghai), four buses are running:
 * - micro bus MB1 on micro-bus line 微1's run L1-am1 (HUB 07:00, ST2 07:05, ST3 07:10, GATE
 *   07:15);
 * - micro bus MB2 on L1-am2, a run of the same line that carries registered pupil P2 (public
 *   all the same: anyone may ride a micro-bus line);
 * - school bus SB2 standing in on L1-am3, a run of the line driven by a school bus;
 * - school bus SB1 on its school-bus trip SB-am1 with pupil P1.
 * The custom-bus line's run L2-am1 (07:20–07:35) has no bus assigned. L1-am1, L1-am2 and L2-am1
 * are public; the buses' staff, the pupils and their guardians have names and phones that must never
 * leave the platform's protected routes.
 */
export const microBusScenario = {
  date: '2026-03-02',
  monday0706: new Date('2026-03-02T07:06:00+08:00'),
  publishedTripIds: ['L1-am1', 'L1-am2', 'L2-am1'],
  unpublishedTripIds: ['L1-am3', 'SB-am1'],
  busesOfUnpublishedTrips: ['SB1', 'SB2'],
}

const roadLat = 30.19
/** Metres per degree of longitude along the road (cos 30.19° of the equator's). */
const mPerDegLon = 111_320 * Math.cos((roadLat * Math.PI) / 180)
const westLon = 121.375
const lonAt = (eastM: number) => westLon + eastM / mPerDegLon
/** The stops, by how far east they stand on the road. */
const stopEastM = { HUB: 500, ST2: 1940, ST3: 3380, GATE: 4820 }

/** The road the buses drive: 5.5 km from west to east, with a vertex every 250 m. */
export const microBusRoad: RoadNetwork = {
  source: 'synthetic: one road for the micro-bus scenario',
  ways: [
    {
      id: 'main-road',
      roadClass: 'primary',
      coords: Array.from({ length: 23 }, (_, k): LonLatPosition => [lonAt(k * 250), roadLat]),
      speedKmh: 40,
      oneway: false,
    },
  ],
}

export async function loadMicroBusScenario(db: Queryable): Promise<void> {
  const stop = (id: keyof typeof stopEastM, name: string) =>
    `('${id}', '${name}', ${roadLat}, ${lonAt(stopEastM[id]).toFixed(7)})`
  await db.exec(`
    INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('hushan', '浒山', 'Hushan', 30.19, 121.40);
    INSERT INTO schools (id, town_id, name_zh, kind, lat, lon) VALUES
      ('S1', 'hushan', '实验小学', 'primary', 30.1905, ${lonAt(stopEastM.GATE).toFixed(7)});
    INSERT INTO stops (id, name_zh, lat, lon) VALUES
      ${stop('HUB', '西站')}, ${stop('ST2', '文昌路')}, ${stop('ST3', '青湖路')}, ${stop('GATE', '实验小学')};
    INSERT INTO buses (id, plate, town_id, school_id, kind, seats, operator) VALUES
      ('MB1', '浙B·D0001', 'hushan', NULL, 'micro_bus', 24, '慈溪公交'),
      ('MB2', '浙B·D0002', 'hushan', NULL, 'micro_bus', 24, '慈溪公交'),
      ('SB1', '浙B·X1001', 'hushan', 'S1', 'school_bus', 45, '浒山校车服务有限公司'),
      ('SB2', '浙B·X1002', 'hushan', 'S1', 'school_bus', 45, '浒山校车服务有限公司');
    INSERT INTO staff (id, role, name, phone, bus_id) VALUES
      ('D1', 'driver', '司机王建国', '13800000001', 'MB1'),
      ('D2', 'driver', '司机李卫东', '13800000002', 'SB1'),
      ('A1', 'attendant', '照管员陈美华', '13800000003', 'SB1');
    INSERT INTO guardians (id, name, phone) VALUES ('G1', '家长赵丽', '13900000001'), ('G2', '家长钱伟', '13900000002');
    INSERT INTO pupils (id, code, name, school_id, grade, home_lat, home_lon) VALUES
      ('P1', 'P00000011', '学生孙小明', 'S1', 2, 30.1911, 121.3912),
      ('P2', 'P00000022', '学生周小红', 'S1', 3, 30.1913, 121.3914);
    INSERT INTO pupil_guardians (pupil_id, guardian_id) VALUES ('P1', 'G1'), ('P2', 'G2');
    INSERT INTO lines (id, name, kind, operator, seats, school_ids, stop_ids) VALUES
      ('L1', '微1', 'micro_bus', '慈溪公交', 24, '{S1}', '{HUB,ST2,ST3,GATE}'),
      ('L2', '界牌社区—实验小学定制公交', 'custom_bus', NULL, 35, '{S1}', '{ST2,GATE}');
    INSERT INTO trips (id, bus_id, line_id, school_id, direction) VALUES
      ('L1-am1', 'MB1', 'L1', 'S1', 'to_school'),
      ('L1-am2', 'MB2', 'L1', 'S1', 'to_school'),
      ('L1-am3', 'SB2', 'L1', 'S1', 'to_school'),
      ('L2-am1', NULL, 'L2', 'S1', 'to_school'),
      ('SB-am1', 'SB1', NULL, 'S1', 'to_school');
    INSERT INTO trip_stops (trip_id, seq, stop_id, arrive_time, depart_time)
      SELECT trip_id, seq, stop_id, arrive::time, depart::time FROM (VALUES
        ('L1-am1', 1, 'HUB', '07:00:00', '07:00:30'), ('L1-am1', 2, 'ST2', '07:05:00', '07:05:30'),
        ('L1-am1', 3, 'ST3', '07:10:00', '07:10:30'), ('L1-am1', 4, 'GATE', '07:15:00', '07:16:00'),
        ('L1-am2', 1, 'HUB', '07:02:00', '07:02:30'), ('L1-am2', 2, 'ST2', '07:07:00', '07:07:30'),
        ('L1-am2', 3, 'GATE', '07:17:00', '07:18:00'),
        ('L1-am3', 1, 'HUB', '07:01:00', '07:01:30'), ('L1-am3', 2, 'GATE', '07:16:00', '07:17:00'),
        ('L2-am1', 1, 'ST2', '07:20:00', '07:21:00'), ('L2-am1', 2, 'GATE', '07:35:00', '07:36:00'),
        ('SB-am1', 1, 'HUB', '06:59:00', '07:00:00'), ('SB-am1', 2, 'ST3', '07:09:00', '07:10:00'),
        ('SB-am1', 3, 'GATE', '07:14:00', '07:16:00')
      ) AS calls (trip_id, seq, stop_id, arrive, depart);
    INSERT INTO trip_pupils (trip_id, pupil_id, board_seq, alight_seq) VALUES
      ('SB-am1', 'P1', 1, 3), ('L1-am2', 'P2', 1, 3);
  `)
}

/**
 * Each running bus's fixes every 10 s from 06:59:00 to `until`: waiting at HUB until `leaves`,
 * then driving east at 20 km/h (bearing 90°). As stored by the ingest, oldest first.
 */
export function drivenFixes(until: Date): PositionRow[] {
  const leaves: Record<string, string> = {
    MB1: '07:00:30',
    MB2: '07:02:30',
    SB2: '07:01:30',
    SB1: '07:00:00',
  }
  const speedMps = 20 / 3.6
  const fixes: PositionRow[] = []
  for (const [busId, time] of Object.entries(leaves)) {
    const leavesMs = new Date(`${microBusScenario.date}T${time}+08:00`).getTime()
    for (
      let ms = new Date(`${microBusScenario.date}T06:59:00+08:00`).getTime();
      ms <= until.getTime();
      ms += 10_000
    ) {
      const drivenM = (Math.max(0, ms - leavesMs) / 1000) * speedMps
      fixes.push({
        busId,
        ts: new Date(ms),
        lat: roadLat,
        lon: lonAt(stopEastM.HUB + drivenM),
        speedKmh: drivenM > 0 ? 20 : 0,
        headingDeg: 90,
        altM: null,
        accuracyM: 5,
        ignition: true,
        seq: null,
      })
    }
  }
  return fixes.sort((a, b) => a.ts.getTime() - b.ts.getTime())
}
