/**
 * Compliance speed: median gate decision with 1,000 history events, and linter throughput on 300-character messages.
 * Deterministic (seeded) inputs. Run: npx tsx bench/compliance.bench.ts
 * Targets (issue 3): ≤ 0.2 ms median per decision; ≥ 5,000 messages/s.
 */
import {
  evaluateContact,
  lintMessage,
  type ContactRequest,
  type HistoryEvent,
  type Locale,
} from '../src/domain/compliance/index.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20261101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

const CHANNELS = ['call', 'call', 'call', 'sms', 'email', 'letter', 'visit'] as const;
const OUTCOMES = [
  'no_answer',
  'voicemail',
  'not_connected',
  'connected',
  'conversation',
  'sent',
  'delivered',
] as const;
const START = Date.parse('2025-11-01T00:00:00Z');
const SPAN = 180 * 86_400_000;

function history(n: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push({
      channel: pick(CHANNELS),
      at: new Date(START + Math.floor(rand() * SPAN)).toISOString(),
      direction: rand() < 0.9 ? 'outbound' : 'inbound',
      outcome: pick(OUTCOMES),
      debtRef: rand() < 0.8 ? 'D-1' : 'D-2',
      recipient: rand() < 0.95 ? 'debtor' : 'third_party',
      ...(rand() < 0.02 ? { consentGiven: true } : {}),
    });
  }
  return events;
}

function requests(count: number): ContactRequest[] {
  const scenarios: Array<Pick<ContactRequest, 'jurisdiction' | 'debtor'>> = [
    { jurisdiction: 'US', debtor: { timezone: 'America/New_York' } },
    { jurisdiction: 'US', debtor: { possibleTimezones: ['America/Los_Angeles', 'America/New_York'] } },
    { jurisdiction: 'US', debtor: { phone: '+12125550123' } },
    { jurisdiction: 'KR', debtor: { timezone: 'Asia/Seoul' } },
    { jurisdiction: 'CN', debtor: { timezone: 'Asia/Shanghai', phone: '+8613800138000' } },
    { jurisdiction: 'ES', debtor: { timezone: 'Europe/Madrid' } },
  ];
  const out: ContactRequest[] = [];
  for (let i = 0; i < count; i++) {
    const scenario = scenarios[i % scenarios.length]!;
    out.push({
      ...scenario,
      channel: pick(['call', 'sms', 'email', 'visit'] as const),
      at: new Date(START + SPAN + Math.floor(rand() * 5 * 86_400_000)).toISOString(),
      debtRef: 'D-1',
      recipient: { role: 'debtor' },
      visitors: 2,
      history: history(1000),
    });
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

function benchGate(): void {
  const reqs = requests(600);
  for (const r of reqs.slice(0, 60)) evaluateContact(r); // warm JIT and zone caches
  const times: number[] = [];
  let allowed = 0;
  for (const r of reqs) {
    const t0 = performance.now();
    const d = evaluateContact(r);
    times.push(performance.now() - t0);
    if (d.allowed) allowed++;
  }
  const per = new Map<string, number[]>();
  reqs.forEach((r, i) => {
    const key = `${r.jurisdiction}/${r.debtor.timezone ?? (r.debtor.possibleTimezones ? 'possibleTimezones' : 'phone')}`;
    per.set(key, [...(per.get(key) ?? []), times[i]!]);
  });
  console.log(`gate: ${reqs.length} decisions, 1,000 history events each, ${allowed} allowed`);
  console.log(
    `  median ${median(times).toFixed(4)} ms   p90 ${[...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(4)} ms   (target ≤ 0.2 ms median)`,
  );
  for (const [key, xs] of per) console.log(`  ${key.padEnd(28)} median ${median(xs).toFixed(4)} ms`);
}

const FRAGMENTS: Record<Locale, readonly string[]> = {
  en: [
    'Hello, this is a reminder that your payment of $120 was due on 5 May.',
    'You can pay online at example.com or call us between 9am and 5pm.',
    'If you believe this is an error you may dispute it in writing.',
    'We will send your file to the police and you will be arrested tomorrow.',
    'Reply STOP to opt out of text messages.',
  ],
  es: [
    'Le recordamos que su cuota de 120 euros venció el 5 de mayo.',
    'Puede pagar en nuestra web o llamarnos de lunes a viernes.',
    'Si no paga hoy, mañana irá a la cárcel y avisaremos a su familia.',
    'Si cree que se trata de un error, puede presentar una reclamación.',
  ],
  ko: [
    '고객님의 대출 상환일이 5월 5일로 지났습니다.',
    '홈페이지 또는 고객센터를 통해 납부하실 수 있습니다.',
    '오늘까지 갚지 않으면 즉시 소송하고 블 랙 리 스 트에 올립니다.',
    '문의 사항은 평일 9시부터 18시까지 연락 주십시오.',
  ],
  'zh-CN': [
    '您好，您的借款已于5月5日到期，请尽快还款。',
    '您可以通过官方应用或客服热线办理还款。',
    '再不还款明天就起诉你，还要通知你的家人和单位。',
    '如对账单有异议，请联系客服核实。',
  ],
  'zh-TW': [
    '您好，您的借款已於5月5日到期，請盡快還款。',
    '再不還錢就讓你坐牢，列入黑名單。',
    '如有疑問請聯繫客服。',
  ],
};

function message(locale: Locale): string {
  let text = '';
  while (text.length < 300) text += pick(FRAGMENTS[locale]) + ' ';
  return text.slice(0, 300);
}

function benchLint(): void {
  const locales: Locale[] = ['en', 'es', 'ko', 'zh-CN', 'zh-TW'];
  const messages = Array.from({ length: 5000 }, (_, i) => {
    const locale = locales[i % locales.length]!;
    return { text: message(locale), locale };
  });
  for (const m of messages.slice(0, 500)) lintMessage(m.text, m.locale);
  const rounds = 3;
  const rates: number[] = [];
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const m of messages) findings += lintMessage(m.text, m.locale).findings.length;
    rates.push(messages.length / ((performance.now() - t0) / 1000));
  }
  console.log(
    `linter: ${messages.length} messages of 300 characters × ${rounds} rounds, ${findings} findings`,
  );
  console.log(
    `  ${Math.round(median(rates)).toLocaleString('en')} messages/s (median of rounds; target ≥ 5,000)`,
  );
}

benchGate();
benchLint();
