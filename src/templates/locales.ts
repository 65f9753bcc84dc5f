import { ArrearsError } from '../domain/errors.js';

export const LOCALES = ['en', 'es', 'ko', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

/** `es-ES` → `es`, `en-US` → `en`, `zh-Hant-TW`/`zh-HK` → `zh-TW`; anything else is an error naming the field. */
export function normalizeLocale(input: string, field = 'locale'): Locale {
  const t = input.trim();
  if ((LOCALES as readonly string[]).includes(t)) return t as Locale;
  const lower = t.toLowerCase();
  if (lower.startsWith('zh')) return /tw|hk|mo|hant/.test(lower) ? 'zh-TW' : 'zh-CN';
  const base = lower.split(/[-_]/)[0];
  if (base === 'en' || base === 'es' || base === 'ko') return base;
  throw new ArrearsError('invalid', `${field} "${input}" is not supported (en, es, ko, zh-CN, zh-TW)`, {
    issues: [{ field, message: 'must be one of en, es, ko, zh-CN, zh-TW' }],
  });
}
