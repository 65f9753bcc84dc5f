import { ArrearsError } from '../domain/errors.js';
import type { ChannelName, Store } from '../store/index.js';
import { defaultTemplates, type TemplateSource } from './defaults.js';
import { normalizeLocale, type Locale } from './locales.js';
import {
  parseTemplate,
  renderMessage,
  type ContentCheck,
  type MessageContext,
  type TemplateRecord,
} from './render.js';
import { sampleContext } from './sample.js';

const CHANNELS: readonly ChannelName[] = ['email', 'sms', 'letter', 'call', 'visit'];

/**
 * Saves a new version of a template. Before it is stored it must parse, render against a sample account in
 * every jurisdiction (strict variables: an unknown name is an error), carry every required text, and pass
 * the content check. Versions are never overwritten; the newest is the one used.
 */
export async function saveTemplate(
  store: Store,
  input: { name: string; channel: string; locale: string; subject?: string; body: string; note?: string },
  contentCheck: ContentCheck,
): Promise<TemplateRecord> {
  const issues: { field: string; message: string }[] = [];
  if (!/^[a-z][a-z0-9_]*$/.test(input.name))
    issues.push({ field: 'name', message: 'lower-case letters, digits and _' });
  if (!CHANNELS.includes(input.channel as ChannelName))
    issues.push({ field: 'channel', message: `one of ${CHANNELS.join(', ')}` });
  if (input.body.trim() === '') issues.push({ field: 'body', message: 'must not be empty' });
  if (issues.length > 0) throw new ArrearsError('invalid', 'the template is not valid', { issues });
  const locale = normalizeLocale(input.locale);
  const channel = input.channel as ChannelName;
  const draft: TemplateRecord = {
    name: input.name,
    channel,
    locale,
    version: 0,
    subject: input.subject ?? '',
    body: input.body,
  };
  parseTemplate(draft.subject, `template ${draft.name} subject`);
  parseTemplate(draft.body, `template ${draft.name} body`);
  for (const jurisdiction of ['US', 'KR', 'CN', 'ES']) {
    await renderMessage(draft, sampleContext(draft, jurisdiction), contentCheck);
  }
  return store.transaction(async ({ db }) => {
    const last = await db
      .selectFrom('templates')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('name', '=', draft.name)
      .where('channel', '=', channel)
      .where('locale', '=', locale)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    await db
      .insertInto('templates')
      .values({
        name: draft.name,
        channel,
        locale,
        version,
        subject: draft.subject,
        body: draft.body,
        note: input.note ?? '',
      })
      .execute();
    return { ...draft, version };
  });
}

/** Stores the shipped templates as version 1 where no version exists yet. Returns how many were added. */
export async function ensureDefaultTemplates(store: Store): Promise<number> {
  const defaults = defaultTemplates();
  return store.transaction(async ({ sql }) => {
    const { rows } = await sql.query(
      `INSERT INTO templates (name, channel, locale, version, subject, body, note)
       SELECT name, channel, locale, 1, subject, body, 'shipped with Arrears'
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(name, channel, locale, subject, body)
       WHERE NOT EXISTS (SELECT 1 FROM templates x WHERE x.name = t.name AND x.channel = t.channel AND x.locale = t.locale)
       RETURNING name`,
      [
        defaults.map((d) => d.name),
        defaults.map((d) => d.channel),
        defaults.map((d) => d.locale),
        defaults.map((d) => d.subject),
        defaults.map((d) => d.body),
      ],
    );
    return rows.length;
  });
}

/** The newest version of each template (name, channel, locale). */
export async function latestTemplates(store: Store): Promise<Map<string, TemplateRecord>> {
  const rows = await store.db
    .selectFrom('templates')
    .select(['name', 'channel', 'locale', 'version', 'subject', 'body'])
    .orderBy('version')
    .execute();
  const out = new Map<string, TemplateRecord>();
  for (const r of rows)
    out.set(templateKey(r.name, r.channel, r.locale as Locale), { ...r, locale: r.locale as Locale });
  return out;
}

export const templateKey = (name: string, channel: ChannelName, locale: Locale) =>
  `${name}/${channel}/${locale}`;

export async function listTemplates(store: Store) {
  return store.db
    .selectFrom('templates')
    .select(['name', 'channel', 'locale', 'version', 'note', 'created_at'])
    .orderBy('name')
    .orderBy('channel')
    .orderBy('locale')
    .orderBy('version')
    .execute();
}

export type { TemplateSource, MessageContext };
