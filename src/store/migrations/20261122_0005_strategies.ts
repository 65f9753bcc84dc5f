/**
 * Strategies: every version a manager saves is kept as submitted (the text) and as validated (the
 * document); an activation makes one version the strategy of a scope. Reference tables, small and not
 * account-scoped (under Citus: reference tables). Never edit a migration after it lands; add a new file.
 */
export const statements: string[] = [
  `CREATE TABLE strategies (
    name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    version integer NOT NULL CHECK (version >= 1),
    document jsonb NOT NULL,
    source text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    PRIMARY KEY (name, version)
  )`,
  `CREATE TRIGGER strategies_immutable BEFORE UPDATE OR DELETE ON strategies
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
  // scope: 'default', 'jurisdiction:US' or 'creditor:<ref>'; the most specific one decides for an account.
  `CREATE TABLE strategy_activations (
    scope text PRIMARY KEY CHECK (scope = 'default' OR scope ~ '^jurisdiction:[A-Z]{2}$' OR scope ~ '^creditor:.+$'),
    name text NOT NULL,
    version integer NOT NULL,
    activated_at timestamptz NOT NULL DEFAULT now(),
    activated_by text NOT NULL
  )`,
  // Every activation and deactivation, in order: who changed which scope to what, and when.
  `CREATE TABLE strategy_activation_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope text NOT NULL,
    name text,
    version integer,
    at timestamptz NOT NULL DEFAULT now(),
    by text NOT NULL
  )`,
  `CREATE TRIGGER strategy_activation_log_append_only BEFORE UPDATE OR DELETE ON strategy_activation_log
     FOR EACH ROW EXECUTE FUNCTION arrears_forbid_change()`,
];
