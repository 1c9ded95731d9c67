import type { Queryable } from '../../server/core/store/database.js'

/**
 * Two schools, each served by one bus with one morning trip (Mondays to Fridays):
 * bus B1 carries pupil P1 (guardian G1) to school S1, bus B2 carries pupil P2 (guardian G2) to S2.
 * Trip T1 runs 07:00–07:20 Asia/Shanghai; P1 boards at its first stop and is dropped at school at 07:20.
 */
export const scenario = {
  monday0710: new Date('2026-03-02T07:10:00+08:00'),
  monday0900: new Date('2026-03-02T09:00:00+08:00'),
  sunday0710: new Date('2026-03-01T07:10:00+08:00'),
}

export async function loadTwoSchoolsTwoBuses(db: Queryable): Promise<void> {
  await db.exec(`
    INSERT INTO towns (id, name_zh, name_en, lat, lon) VALUES ('longshan', '龙山', 'Longshan', 30.19, 121.40);
    INSERT INTO schools (id, town_id, name_zh, name_en, kind, lat, lon) VALUES
      ('S1', 'longshan', '龙山小学', 'Longshan Primary', 'primary', 30.190, 121.400),
      ('S2', 'longshan', '龙山中学', 'Longshan Middle', 'middle', 30.195, 121.405);
    INSERT INTO buses (id, plate, town_id, kind, seats, operator) VALUES
      ('B1', '浙B·10001', 'longshan', 'school_bus', 36, 'Test operator'),
      ('B2', '浙B·10002', 'longshan', 'school_bus', 36, 'Test operator');
    INSERT INTO staff (id, role, name, bus_id) VALUES
      ('A1', 'attendant', 'Attendant One', 'B1'), ('A2', 'attendant', 'Attendant Two', 'B2');
    INSERT INTO guardians (id, name) VALUES ('G1', 'Guardian One'), ('G2', 'Guardian Two');
    INSERT INTO pupils (id, code, name, school_id, grade) VALUES
      ('P1', 'P00000011', 'Pupil One', 'S1', 2), ('P2', 'P00000022', 'Pupil Two', 'S2', 7);
    INSERT INTO pupil_guardians (pupil_id, guardian_id) VALUES ('P1', 'G1'), ('P2', 'G2');
    INSERT INTO stops (id, name_zh, lat, lon) VALUES
      ('ST1', '一号站', 30.180, 121.390), ('ST2', '二号站', 30.185, 121.395),
      ('ST-S1', '龙山小学', 30.190, 121.400), ('ST-S2', '龙山中学', 30.195, 121.405);
    INSERT INTO trips (id, bus_id, school_id, direction) VALUES
      ('T1', 'B1', 'S1', 'to_school'), ('T2', 'B2', 'S2', 'to_school');
    INSERT INTO trip_stops (trip_id, seq, stop_id, arrive_time, depart_time) VALUES
      ('T1', 1, 'ST1', '07:00', '07:01'), ('T1', 2, 'ST2', '07:08', '07:09'), ('T1', 3, 'ST-S1', '07:20', '07:22'),
      ('T2', 1, 'ST2', '07:05', '07:06'), ('T2', 2, 'ST-S2', '07:25', '07:27');
    INSERT INTO trip_pupils (trip_id, pupil_id, board_seq, alight_seq) VALUES ('T1', 'P1', 1, 3), ('T2', 'P2', 1, 2);
    INSERT INTO positions (bus_id, ts, lat, lon, speed_kmh) VALUES
      ('B1', '2026-03-02T07:09:00+08:00', 30.184, 121.394, 25), ('B2', '2026-03-02T07:09:00+08:00', 30.187, 121.397, 30);
  `)
}
