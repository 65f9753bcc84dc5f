import { lintMessage, type LintFinding } from '../lint/linter.js';
import { normalize, type Normalized } from '../lint/normalize.js';
import type { ContactRequest } from '../schema.js';
import { clockFor, parseInstant, type ZoneClock } from '../time/clock.js';
import { zonesForPhone } from '../time/phone.js';

export type ZoneSource = 'timezone' | 'possibleTimezones' | 'phone';

/**
 * A request prepared once per decision: instants parsed, plausible zones resolved, content linted lazily, and a memo
 * for derived tables (per-zone day counts) that stay valid while the gate probes later candidate instants.
 */
export class Facts {
  /** Epoch ms of history[i].at (NaN when unparsable). */
  readonly times: Float64Array;
  readonly badHistory: number[] = [];
  /** Every zone the debtor may be in; empty when nothing hints at one. */
  readonly clocks: readonly ZoneClock[];
  readonly zoneSource: ZoneSource | null;
  readonly deferredUntil: number;
  private readonly cache = new Map<string, unknown>();
  private normalized: Normalized | null | undefined;
  private findings: LintFinding[] | undefined;

  constructor(readonly request: ContactRequest) {
    const history = request.history;
    this.times = new Float64Array(history.length);
    for (let i = 0; i < history.length; i++) {
      const ms = parseInstant(history[i]!.at);
      this.times[i] = ms;
      if (Number.isNaN(ms)) this.badHistory.push(i);
    }
    const { zones, source } = resolveZones(request);
    this.clocks = zones.map(clockFor).filter((c): c is ZoneClock => c !== null);
    this.zoneSource = this.clocks.length > 0 ? source : null;
    const deferred = request.debtor.flags?.deferredUntil;
    this.deferredUntil = deferred === undefined ? Number.NaN : parseInstant(deferred);
  }

  memo<T>(key: string, compute: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = compute();
    this.cache.set(key, value);
    return value;
  }

  /** The content, normalised; null when the request carries none. */
  get content(): Normalized | null {
    if (this.normalized === undefined) {
      this.normalized = this.request.content ? normalize(this.request.content.text) : null;
    }
    return this.normalized;
  }

  get lint(): readonly LintFinding[] {
    if (this.findings === undefined) {
      const content = this.request.content;
      this.findings = content ? lintMessage(content.text, content.locale).findings : [];
    }
    return this.findings;
  }
}

/**
 * With no known zone, every hint counts: the possible zones (e.g. the address's) AND the phone's zones, as Reg F's
 * commentary on 1006.6(b)(1)(i) asks when the area code and the address disagree.
 */
function resolveZones(request: ContactRequest): { zones: string[]; source: ZoneSource | null } {
  const debtor = request.debtor;
  if (debtor.timezone) return { zones: [debtor.timezone], source: 'timezone' };
  const zones = new Set(debtor.possibleTimezones ?? []);
  const fromPhone = debtor.phone ? zonesForPhone(debtor.phone) : [];
  for (const zone of fromPhone) zones.add(zone);
  if (zones.size === 0) return { zones: [], source: null };
  return { zones: [...zones], source: fromPhone.length > 0 ? 'phone' : 'possibleTimezones' };
}
