/**
 * Cases and queues: collector profiles (languages, jurisdictions, skills, buckets, workload cap), the
 * assignee of a case, append-only case notes, allocation runs, and read access for agency users to the
 * timeline sources that had none (notices, compliance decisions) — row-level security as in 0003.
 * Never edit a migration after it lands; add a new file.
 */
const PLACED = `account_id IN (SELECT account_id FROM placements)`;

export const statements: string[] = [
  // An empty `buckets` list means every bucket; locales and jurisdictions must be listed (the service checks).
  `CREATE TABLE collector_profiles (
    user_id bigint PRIMARY KEY REFERENCES users (id),
    locales text[] NOT NULL DEFAULT '{}',
    jurisdictions text[] NOT NULL DEFAULT '{}',
    skills text[] NOT NULL DEFAULT '{}',
    buckets text[] NOT NULL DEFAULT '{}',
    max_open_cases integer NOT NULL CHECK (max_open_cases BETWEEN 0 AND 100000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
  )`,
  `CREATE TABLE allocation_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    as_of date NOT NULL,
    scorecard text NOT NULL,
    considered integer NOT NULL,
    assigned integer NOT NULL,
    kept integer NOT NULL,
    unassigned integer NOT NULL,
    by_reason jsonb NOT NULL DEFAULT '{}',
    at timestamptz NOT NULL DEFAULT now(),
    by text NOT NULL
  )`,
  // Who works the case (their queue). A claim (0003) is a short lock; an assignment lasts until reallocated.
  `ALTER TABLE cases ADD COLUMN assigned_to bigint REFERENCES users (id)`,
  `ALTER TABLE cases ADD COLUMN assigned_at timestamptz`,
  `ALTER TABLE cases ADD COLUMN allocation_run bigint REFERENCES allocation_runs (id)`,
  `CREATE INDEX cases_assigned_idx ON cases (assigned_to) WHERE assigned_to IS NOT NULL`,
  `CREATE TABLE case_notes (
    account_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    author_id bigint,
    author text NOT NULL,
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    PRIMARY KEY (account_id, id)
  )`,
  `CREATE TRIGGER case_notes_append_only BEFORE UPDATE OR DELETE ON case_notes
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  `ALTER TABLE case_notes ENABLE ROW LEVEL SECURITY`,
  `GRANT SELECT, INSERT ON case_notes TO arrears_agency`,
  `CREATE POLICY agency_placed ON case_notes TO arrears_agency USING (${PLACED}) WITH CHECK (${PLACED})`,
  // The timeline reads these for agency users too; a distinct policy name keeps this additive to any other.
  ...['notices', 'compliance_decisions'].flatMap((t) => [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `GRANT SELECT ON ${t} TO arrears_agency`,
    `CREATE POLICY agency_placed_timeline ON ${t} FOR SELECT TO arrears_agency USING (${PLACED})`,
  ]),
  `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO arrears_agency`,
];
