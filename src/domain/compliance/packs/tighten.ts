/**
 * Operator overrides of rule parameters. Stricter values (fewer calls, narrower hours, longer waits, more channels
 * covered) are accepted freely; anything looser is refused field by field unless an explicit approval is passed, and
 * then it comes back as an override record for the audit log. The resulting pack carries a new version so every
 * decision shows which parameters it ran under.
 */
import { CHANNELS, type Channel } from '../schema.js';
import { minutesOf } from './common.js';
import type { Param, Rule, RulePack } from './types.js';

export type ParamValue =
  number | null | { from: string; to: string } | readonly number[] | boolean | readonly Channel[];

/** `{ "US.REGF.CALL_FREQ_7IN7": { "maxCalls": 5 }, "US.FDCPA.HOURS": { "window": { "from": "09:00", "to": "20:00" } } }` */
export type PackOverrides = Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;

export interface LoosenApproval {
  loosen: true;
  reason: string;
  approvedBy: string;
}

export interface ParamChange {
  rule: string;
  param: string;
  from: Param;
  to: Param;
  direction: 'stricter' | 'looser' | 'same';
}

export interface OverrideRecord {
  basePackVersion: string;
  packVersion: string;
  reason: string;
  approvedBy: string;
  loosened: ParamChange[];
}

export interface TightenError {
  /** `<rule id>.<param>` */
  path: string;
  code: 'unknown_rule' | 'unknown_param' | 'invalid_value' | 'loosening' | 'invalid_approval';
  message: string;
}

export type TightenResult =
  | { ok: true; pack: RulePack; changes: ParamChange[]; override: OverrideRecord | null }
  | { ok: false; errors: TightenError[] };

const isInt = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;

function minuteSet(from: string, to: string): Uint8Array {
  const set = new Uint8Array(1440);
  const f = minutesOf(from);
  const t = minutesOf(to);
  for (let m = 0; m < 1440; m++) {
    if (f < t ? m >= f && m < t : f > t && (m >= f || m < t)) set[m] = 1;
  }
  return set;
}

const subset = <T>(a: readonly T[], b: readonly T[]): boolean => a.every((x) => b.includes(x));

/** Parses an override value against the current parameter: the new parameter, or an error message. */
function coerce(current: Param, value: ParamValue): Param | string {
  switch (current.kind) {
    case 'max':
      if (value === null || isInt(value, 0)) return { ...current, value };
      return 'expected a whole number ≥ 0, or null for no cap';
    case 'min':
      return isInt(value, 0) ? { ...current, value } : 'expected a whole number ≥ 0';
    case 'window': {
      const v = value as { from?: unknown; to?: unknown } | null;
      if (
        v === null ||
        typeof v !== 'object' ||
        typeof v.from !== 'string' ||
        typeof v.to !== 'string' ||
        Number.isNaN(minutesOf(v.from)) ||
        Number.isNaN(minutesOf(v.to))
      ) {
        return 'expected { "from": "HH:mm", "to": "HH:mm" }';
      }
      return { kind: 'window', from: v.from, to: v.to };
    }
    case 'weekdays':
      if (
        Array.isArray(value) &&
        value.every((d) => isInt(d, 1) && d <= 7) &&
        new Set(value).size === value.length
      ) {
        return { kind: 'weekdays', value: [...(value as number[])].sort((x, y) => x - y) };
      }
      return 'expected distinct ISO weekdays 1–7';
    case 'require':
      return typeof value === 'boolean' ? { kind: 'require', value } : 'expected true or false';
    case 'channels':
      if (
        Array.isArray(value) &&
        value.every((c) => (CHANNELS as readonly unknown[]).includes(c)) &&
        new Set(value).size === value.length
      ) {
        return { kind: 'channels', value: value as Channel[] };
      }
      return `expected distinct channels from ${CHANNELS.join(', ')}`;
  }
}

function direction(a: Param, b: Param): ParamChange['direction'] {
  switch (a.kind) {
    case 'max': {
      const bv = (b as typeof a).value;
      if (a.value === bv) return 'same';
      if (bv === null) return 'looser';
      return a.value === null || bv < a.value ? 'stricter' : 'looser';
    }
    case 'min': {
      const bv = (b as typeof a).value;
      return bv === a.value ? 'same' : bv > a.value ? 'stricter' : 'looser';
    }
    case 'window': {
      const next = b as typeof a;
      const before = minuteSet(a.from, a.to);
      const after = minuteSet(next.from, next.to);
      let same = true;
      for (let m = 0; m < 1440; m++) {
        if (after[m]! > before[m]!) return 'looser';
        if (after[m] !== before[m]) same = false;
      }
      return same ? 'same' : 'stricter';
    }
    case 'weekdays': {
      const next = (b as typeof a).value;
      if (!subset(next, a.value)) return 'looser';
      return next.length === a.value.length ? 'same' : 'stricter';
    }
    case 'require': {
      const next = (b as typeof a).value;
      return next === a.value ? 'same' : next ? 'stricter' : 'looser';
    }
    case 'channels': {
      const next = (b as typeof a).value;
      if (!subset(a.value, next)) return 'looser';
      return next.length === a.value.length ? 'same' : 'stricter';
    }
  }
}

/** FNV-1a, enough to tell override sets apart in a version string. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Applies operator overrides to a pack.
 *
 * @example
 * const r = tightenPack(PACKS.US, { 'US.REGF.CALL_FREQ_7IN7': { maxCalls: 5 } });
 * if (r.ok) evaluateContact(request, { packs: { US: r.pack } });
 */
export function tightenPack(
  pack: RulePack,
  overrides: PackOverrides,
  approval?: LoosenApproval,
): TightenResult {
  const errors: TightenError[] = [];
  const changes: ParamChange[] = [];
  const byId = new Map<string, Rule>(pack.rules.map((r) => [r.id, r]));
  const nextParams = new Map<string, Record<string, Param>>();

  if (approval !== undefined) {
    const approvalRecord = approval as Partial<LoosenApproval>;
    if (approvalRecord.loosen !== true) {
      errors.push({ path: 'approval.loosen', code: 'invalid_approval', message: 'must be true' });
    }
    if (typeof approvalRecord.reason !== 'string' || approvalRecord.reason.trim() === '') {
      errors.push({ path: 'approval.reason', code: 'invalid_approval', message: 'a reason is required' });
    }
    if (typeof approvalRecord.approvedBy !== 'string' || approvalRecord.approvedBy.trim() === '') {
      errors.push({
        path: 'approval.approvedBy',
        code: 'invalid_approval',
        message: 'the approver is required',
      });
    }
  }

  for (const [ruleId, values] of Object.entries(overrides)) {
    const rule = byId.get(ruleId);
    if (!rule) {
      errors.push({
        path: ruleId,
        code: 'unknown_rule',
        message: `no rule ${ruleId} in pack ${pack.version}`,
      });
      continue;
    }
    const params: Record<string, Param> = { ...rule.params };
    for (const [name, value] of Object.entries(values)) {
      const path = `${ruleId}.${name}`;
      const current = rule.params[name];
      if (!current) {
        const known = Object.keys(rule.params);
        errors.push({
          path,
          code: 'unknown_param',
          message: known.length > 0 ? `known parameters: ${known.join(', ')}` : 'this rule has no parameters',
        });
        continue;
      }
      const next = coerce(current, value);
      if (typeof next === 'string') {
        errors.push({ path, code: 'invalid_value', message: next });
        continue;
      }
      const dir = direction(current, next);
      if (dir === 'looser' && approval === undefined) {
        errors.push({
          path,
          code: 'loosening',
          message: `${JSON.stringify(value)} is less strict than the pack’s ${JSON.stringify(current)}; pass an approval { loosen: true, reason, approvedBy } to override`,
        });
        continue;
      }
      params[name] = next;
      changes.push({ rule: ruleId, param: name, from: current, to: next, direction: dir });
    }
    nextParams.set(ruleId, params);
  }

  if (errors.length > 0) return { ok: false, errors };

  const loosened = changes.filter((c) => c.direction === 'looser');
  const effective = changes.filter((c) => c.direction !== 'same');
  if (effective.length === 0) return { ok: true, pack, changes, override: null };

  const tag = loosened.length > 0 ? 'o' : 't';
  const hash = shortHash(
    JSON.stringify({ changes: effective, approval: loosened.length > 0 ? approval : undefined }),
  );
  const version = `${pack.version}+${tag}.${hash}`;
  const rules = pack.rules.map((r) => {
    const params = nextParams.get(r.id);
    return params ? r.withParams(params) : r;
  });
  const override =
    loosened.length > 0 && approval
      ? {
          basePackVersion: pack.version,
          packVersion: version,
          reason: approval.reason,
          approvedBy: approval.approvedBy,
          loosened,
        }
      : null;
  return { ok: true, pack: { ...pack, version, rules }, changes, override };
}
