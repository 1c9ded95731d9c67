import type { Migration } from './migration.js'

/**
 * Who may come in, and the trail of what they did (server/core/auth/).
 *
 * - staff_accounts: the bureau's and the schools' people who sign in with a password (argon2id hash);
 *   failures count towards a lockout, an administrator creates them and sets their role.
 * - auth_sessions: every way in that is not the platform's own processes: a staff sign-in, a
 *   guardian's enrolled phone, an attendant's paired phone, a bus terminal's credential, and the
 *   sessions issued from the command line. Each has an id that the bureau can end (revoked_at);
 *   only a hash of its secret is kept. A terminal's row also keeps the broker's hash of it, which
 *   `broker:config` writes into Mosquitto's password file.
 * - one_time_codes: a guardian's enrolment code (per pupil and guardian) and an attendant's pairing
 *   code, kept as a hash, used once.
 * - audit_log: sign-ins and failures, enrolments, pairings, revocations, account changes, staff
 *   reads of pupils' personal data and exports; kept a year.
 */
export const access: Migration = {
  version: 8,
  name: 'access',
  async up(tx) {
    await tx.exec(`
CREATE TABLE staff_accounts (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('bureau', 'school')),
  school_id text REFERENCES schools (id),
  is_admin boolean NOT NULL DEFAULT false,
  password_hash text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((role = 'school') = (school_id IS NOT NULL)),
  CHECK (NOT is_admin OR role = 'bureau')
);

CREATE TABLE auth_sessions (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('staff', 'guardian', 'attendant', 'device', 'issued')),
  secret_hash text NOT NULL,
  account_id text REFERENCES staff_accounts (id) ON DELETE CASCADE,
  guardian_id text REFERENCES guardians (id) ON DELETE CASCADE,
  staff_id text REFERENCES staff (id) ON DELETE CASCADE,
  bus_id text REFERENCES buses (id) ON DELETE CASCADE,
  principal jsonb,
  broker_hash text,
  label text,
  created_at timestamptz NOT NULL,
  created_ip text,
  last_used_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  renew_s integer,
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text,
  CHECK ((kind = 'staff') = (account_id IS NOT NULL)),
  CHECK ((kind = 'guardian') = (guardian_id IS NOT NULL)),
  CHECK ((kind = 'attendant') = (staff_id IS NOT NULL)),
  CHECK ((kind = 'device') = (bus_id IS NOT NULL)),
  CHECK ((kind = 'issued') = (principal IS NOT NULL))
);
CREATE INDEX auth_sessions_revoked_idx ON auth_sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX auth_sessions_account_idx ON auth_sessions (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX auth_sessions_guardian_idx ON auth_sessions (guardian_id) WHERE guardian_id IS NOT NULL;
CREATE INDEX auth_sessions_staff_idx ON auth_sessions (staff_id) WHERE staff_id IS NOT NULL;
CREATE INDEX auth_sessions_bus_idx ON auth_sessions (bus_id) WHERE bus_id IS NOT NULL;
CREATE INDEX auth_sessions_expires_idx ON auth_sessions (expires_at);

CREATE TABLE one_time_codes (
  id text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('enrolment', 'pairing')),
  code_hash text NOT NULL UNIQUE,
  guardian_id text REFERENCES guardians (id) ON DELETE CASCADE,
  pupil_id text REFERENCES pupils (id) ON DELETE CASCADE,
  staff_id text REFERENCES staff (id) ON DELETE CASCADE,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  used_at timestamptz,
  session_id text REFERENCES auth_sessions (id) ON DELETE SET NULL,
  voided_at timestamptz,
  CHECK ((purpose = 'enrolment') = (guardian_id IS NOT NULL AND pupil_id IS NOT NULL)),
  CHECK ((purpose = 'pairing') = (staff_id IS NOT NULL))
);
CREATE INDEX one_time_codes_guardian_idx ON one_time_codes (guardian_id) WHERE guardian_id IS NOT NULL;
CREATE INDEX one_time_codes_staff_idx ON one_time_codes (staff_id) WHERE staff_id IS NOT NULL;

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  actor_role text,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL DEFAULT '{}',
  ip text,
  user_agent text
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
`)
  },
}
