import type { LintCategory } from '../lint/categories.js';
import type { Channel, Jurisdiction } from '../schema.js';
import type { Facts } from './facts.js';

/** How sure the catalogue is (shared/regulations.md); `policy` = Arrears' own fail-closed choice, not a statute. */
export type Confidence = 'high' | 'med-high' | 'med' | 'low' | 'unconfirmed' | 'policy';

/**
 * Rule parameters are data with a direction, so an override can be checked mechanically:
 * `max` — lower is stricter (null = no cap); `min` — higher is stricter; `window` — the allowed local-time band,
 * narrower is stricter (from > to wraps midnight); `weekdays` — allowed ISO weekdays, fewer is stricter;
 * `require` — true is stricter; `channels` — channels the rule covers, more is stricter.
 */
export type MaxParam = { kind: 'max'; value: number | null; unit: string };
export type MinParam = { kind: 'min'; value: number; unit: string };
export type WindowParam = { kind: 'window'; from: string; to: string };
export type WeekdaysParam = { kind: 'weekdays'; value: readonly number[] };
export type RequireParam = { kind: 'require'; value: boolean };
export type ChannelsParam = { kind: 'channels'; value: readonly Channel[] };
export type Param = MaxParam | MinParam | WindowParam | WeekdaysParam | RequireParam | ChannelsParam;
export type Params = Readonly<Record<string, Param>>;

export const maxParam = (value: number | null, unit: string): MaxParam => ({ kind: 'max', value, unit });
export const minParam = (value: number, unit: string): MinParam => ({ kind: 'min', value, unit });
export const windowParam = (from: string, to: string): WindowParam => ({ kind: 'window', from, to });
export const weekdaysParam = (value: readonly number[]): WeekdaysParam => ({ kind: 'weekdays', value });
export const requireParam = (value: boolean): RequireParam => ({ kind: 'require', value });
export const channelsParam = (value: readonly Channel[]): ChannelsParam => ({ kind: 'channels', value });

export interface RuleMeta {
  /** The catalogue id, e.g. `US.REGF.CALL_FREQ_7IN7`. */
  readonly id: string;
  readonly citation: string;
  readonly confidence: Confidence;
  /** One line a compliance officer can check against the source. */
  readonly summary: string;
}

/** A violated rule at one instant. `retryAt` = earliest instant this rule alone could pass; null = no time helps. */
export interface Violation {
  readonly rule: string;
  readonly message: string;
  readonly retryAt: number | null;
}

export interface RuleContext {
  readonly facts: Facts;
  /** The instant evaluated (epoch ms): the request's `at`, or a later candidate while searching `nextAllowedAt`. */
  readonly t: number;
}

export interface Rule extends RuleMeta {
  readonly params: Params;
  evaluate(ctx: RuleContext): readonly Violation[];
  /** The same rule with other parameters (same keys and kinds — tightenPack guarantees it). */
  withParams(params: Params): Rule;
}

/** A catalogue rule the gate does not evaluate, kept in the pack so every rule stays visible and cited. */
export interface ReferenceRule extends RuleMeta {
  /** Where it is enforced instead, or why the gate cannot. */
  readonly note: string;
}

export interface RulePack {
  readonly jurisdiction: Jurisdiction;
  /** e.g. `US-2026.11.1`; a tightened pack appends `+t.<hash>`, an audited loosening `+o.<hash>`. */
  readonly version: string;
  /** Other rule sets applied with this one (ES applies EU rules). */
  readonly includes: readonly string[];
  readonly rules: readonly Rule[];
  readonly reference: readonly ReferenceRule[];
  /** The rule id each content-linter category is reported under. */
  readonly contentRules: Readonly<Record<LintCategory, string>>;
}

export function defineRule<P extends Params>(
  spec: RuleMeta & { params: P; check(ctx: RuleContext, params: P, rule: RuleMeta): Violation[] },
): Rule {
  const meta: RuleMeta = {
    id: spec.id,
    citation: spec.citation,
    confidence: spec.confidence,
    summary: spec.summary,
  };
  const build = (params: P): Rule => ({
    ...meta,
    params,
    evaluate: (ctx) => spec.check(ctx, params, meta),
    withParams: (next) => build(next as P),
  });
  return build(spec.params);
}
