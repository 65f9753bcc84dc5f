import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { addMonths, formatDay, parseCivilDate, type DayNumber } from '../domain/calendar/index.js';
import { ArrearsError } from '../domain/errors.js';
import { formatAmount, minorUnits } from '../domain/money/index.js';
import { Rng } from '../domain/random/index.js';

/**
 * A deterministic, realistic demo portfolio in the import format (docs/import-format.md): consumer loans of
 * US, CN, KR and ES lenders (seeds README), debtors in five locales, monthly schedules and the payments that
 * give the portfolio a realistic delinquency spread as of `asOf`. Same options ⇒ byte-identical output: all
 * randomness comes from one seeded splitmix32 stream and every date derives from `asOf`.
 *
 * US phone numbers use the fictional 555-01xx range (CN, KR and ES numbers are random but well-formed);
 * e-mails use the reserved example.com/.net/.org domains.
 */

export interface GenerateOptions {
  accounts: number;
  /** PRNG seed, an integer (default 1, as the `demo` command). */
  seed?: number;
  /** YYYY-MM-DD: the date the portfolio's delinquency is built around; nothing is dated after it. */
  asOf: string;
  /** Default: 3..24 by product; when set, exactly this many installments per account (1..600). */
  installmentsPerAccount?: number;
  /** Default true; false leaves every account without payments. */
  withPayments?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Randomness

/** A weighted choice among a few values. */
class Weighted<T> {
  private readonly values: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    let sum = 0;
    this.values = [];
    this.cumulative = [];
    for (const [value, weight] of entries) {
      if (weight <= 0) continue;
      sum += weight;
      this.values.push(value);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let i = 0;
    while (i < this.cumulative.length - 1 && x >= this.cumulative[i]!) i++;
    return this.values[i]!;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Business data

type Jurisdiction = 'US' | 'CN' | 'KR' | 'ES';
type Locale = 'en' | 'es' | 'ko' | 'zh-CN' | 'zh-TW';
type Product = 'consumer_loan' | 'personal_loan' | 'credit_card_installment' | 'bnpl';
type Channel = 'bank_transfer' | 'card' | 'direct_debit' | 'online';
type Relationship = 'spouse' | 'parent' | 'child' | 'sibling' | 'relative' | 'friend' | 'colleague';

/** Each creditor's caps show the law that binds it (all but one US lender, which has none configured). */
function creditorRecords(): Record<string, unknown>[] {
  const kr = { penaltyRateMax: '0.20', source: 'KR.RATE_CAP Interest Limitation Act (20%)' };
  const cn = { penaltyRateMax: '0.24', source: 'CN.RATE.FIN_INST (24%)' };
  const es = { penaltyMarginMax: '0.02', source: 'ES.LATE_INTEREST STS 265/2015 (+2 pp)' };
  const creditor = (
    ref: string,
    name: string,
    jurisdiction: Jurisdiction,
    currency: string,
    caps?: object,
  ) => ({
    type: 'creditor',
    ref,
    name,
    jurisdiction,
    currency,
    ...(caps ? { settings: { caps: { ...caps } } } : {}),
  });
  return [
    creditor('CR-US-1', 'Riverside Consumer Credit', 'US', 'USD', {
      annualCostRateMax: '0.36',
      source: 'State usury cap (36% APR)',
    }),
    creditor('CR-US-2', 'Golden Gate Lending', 'US', 'USD'),
    creditor('CR-CN-1', '示例消费金融有限公司', 'CN', 'CNY', cn),
    creditor('CR-CN-2', '示例网络小额贷款有限公司', 'CN', 'CNY', cn),
    creditor('CR-KR-1', '예시캐피탈 주식회사', 'KR', 'KRW', kr),
    creditor('CR-KR-2', '예시저축은행', 'KR', 'KRW', kr),
    creditor('CR-ES-1', 'Financiera Ejemplo, S.A.', 'ES', 'EUR', es),
    creditor('CR-ES-2', 'Crédito Ejemplo, E.F.C., S.A.', 'ES', 'EUR', es),
  ];
}

/** A name as written, and an ASCII form for e-mail addresses. */
type Name = readonly [text: string, ascii: string];
const asciiOf = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
const latin = (names: string): Name[] => names.split(' ').map((n) => [n, asciiOf(n)] as const);
const romanised = (pairs: string): Name[] =>
  pairs.split(' ').map((p) => {
    const [text = '', ascii = ''] = p.split(':');
    return [text, ascii] as const;
  });

const NAMES: Record<Locale, { family: Name[]; given: Name[] }> = {
  en: {
    family: latin(
      'Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore ' +
        'Jackson White Harris Nguyen Patel Martin Thompson Clark Lewis Walker Young Allen',
    ),
    given: latin(
      'Emma Liam Olivia Noah Ava James Sophia William Isabella Benjamin Mia Lucas ' +
        'Charlotte Henry Amelia Michael Emily David Sarah Daniel Jessica Matthew Ashley Christopher',
    ),
  },
  es: {
    family: latin(
      'García Martínez López Sánchez González Rodríguez Fernández Pérez Gómez Martín ' +
        'Jiménez Ruiz Hernández Díaz Moreno Álvarez Romero Navarro Torres Ramírez',
    ),
    given: latin(
      'Lucía Javier Carmen Antonio María Manuel Laura David Sofía Pablo Marta Alejandro ' +
        'Elena Sergio Paula José Isabel Carlos Ana Jorge Guadalupe Luis Rosa Miguel',
    ),
  },
  ko: {
    family: romanised(
      '김:kim 이:lee 박:park 최:choi 정:jung 강:kang 조:cho 윤:yoon 장:jang 임:lim 한:han 오:oh',
    ),
    given: romanised(
      '민준:minjun 서연:seoyeon 지훈:jihoon 하은:haeun 도윤:doyun 서준:seojun 지우:jiwoo 수빈:subin 지민:jimin ' +
        '현우:hyunwoo 은지:eunji 민서:minseo 영호:youngho 미경:mikyung 성민:sungmin 혜진:hyejin',
    ),
  },
  'zh-CN': {
    family: romanised(
      '王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun 马:ma 朱:zhu 胡:hu 郭:guo',
    ),
    given: romanised(
      '芳:fang 伟:wei 娜:na 静:jing 强:qiang 敏:min 磊:lei 洋:yang 艳:yan 勇:yong 军:jun 杰:jie 婷:ting 丽:li ' +
        '涛:tao 明:ming 浩然:haoran 子涵:zihan 雨桐:yutong 欣怡:xinyi 俊杰:junjie 建华:jianhua 秀英:xiuying 志强:zhiqiang',
    ),
  },
  'zh-TW': {
    family: romanised(
      '陳:chen 林:lin 黃:huang 張:chang 李:lee 王:wang 吳:wu 劉:liu 蔡:tsai 楊:yang 許:hsu 鄭:cheng',
    ),
    given: romanised(
      '怡君:yichun 家豪:chiahao 淑芬:shufen 志明:chihming 雅婷:yating 冠宇:kuanyu 美玲:meiling 俊傑:chunchieh ' +
        '宜蓁:yichen 建宏:chienhung 佩珊:peishan 承恩:chengen',
    ),
  },
};

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

/** A place: city, region, time zone, dialling prefix, postal code range, and weights per population. */
interface Place {
  city: string;
  region?: string;
  timezone: string;
  /** Area code (US), or landline prefix after the country code. */
  area: string;
  postal: readonly [number, number];
  postalWidth: number;
  districts?: readonly string[];
}

const usPlace = (
  city: string,
  region: string,
  timezone: string,
  area: string,
  lo: number,
  hi: number,
): Place => ({
  city,
  region,
  timezone,
  area,
  postal: [lo, hi],
  postalWidth: 5,
});
const NY = 'America/New_York';
const CHI = 'America/Chicago';
const DEN = 'America/Denver';
const LA = 'America/Los_Angeles';
const PHX = 'America/Phoenix';

// [place, weight for en debtors, for Hispanic (es) debtors, for Taiwanese (zh-TW) debtors]
const US_PLACES: readonly (readonly [Place, number, number, number])[] = [
  [usPlace('New York', 'NY', NY, '212', 10001, 10282), 12, 8, 0],
  [usPlace('Brooklyn', 'NY', NY, '718', 11201, 11256), 6, 4, 0],
  [usPlace('Boston', 'MA', NY, '617', 2108, 2137), 4, 1, 0],
  [usPlace('Miami', 'FL', NY, '305', 33125, 33199), 4, 12, 0],
  [usPlace('Atlanta', 'GA', NY, '404', 30303, 30350), 5, 2, 0],
  [usPlace('Philadelphia', 'PA', NY, '215', 19102, 19154), 4, 2, 0],
  [usPlace('Chicago', 'IL', CHI, '312', 60601, 60661), 8, 6, 0],
  [usPlace('Houston', 'TX', CHI, '713', 77002, 77099), 7, 12, 0],
  [usPlace('Dallas', 'TX', CHI, '214', 75201, 75287), 6, 7, 0],
  [usPlace('Austin', 'TX', CHI, '512', 78701, 78759), 3, 3, 0],
  [usPlace('Denver', 'CO', DEN, '303', 80202, 80249), 4, 3, 0],
  [usPlace('Salt Lake City', 'UT', DEN, '801', 84101, 84128), 2, 1, 0],
  [usPlace('Los Angeles', 'CA', LA, '213', 90001, 90089), 9, 16, 20],
  [usPlace('San Francisco', 'CA', LA, '415', 94102, 94134), 4, 2, 15],
  [usPlace('San Jose', 'CA', LA, '408', 95110, 95139), 3, 3, 15],
  [usPlace('Monterey Park', 'CA', LA, '626', 91754, 91756), 1, 2, 20],
  [usPlace('Irvine', 'CA', LA, '949', 92602, 92620), 2, 1, 13],
  [usPlace('Seattle', 'WA', LA, '206', 98101, 98199), 4, 1, 12],
  [usPlace('Las Vegas', 'NV', LA, '702', 89101, 89183), 3, 4, 5],
  [usPlace('Phoenix', 'AZ', PHX, '602', 85003, 85054), 3, 6, 0],
  [usPlace('Mesa', 'AZ', PHX, '480', 85201, 85215), 1, 2, 0],
  [usPlace('Honolulu', 'HI', 'Pacific/Honolulu', '808', 96813, 96826), 2, 0, 0],
];

const cnPlace = (city: string, region: string, prefix: number, area: string, districts: string): Place => ({
  city,
  region,
  timezone: 'Asia/Shanghai',
  area,
  postal: [prefix * 1000, prefix * 1000 + 999],
  postalWidth: 6,
  districts: districts.split(' '),
});
const CN_PLACES = new Weighted<Place>([
  [cnPlace('上海市', '上海市', 200, '21', '浦东新区 徐汇区 静安区 闵行区'), 16],
  [cnPlace('北京市', '北京市', 100, '10', '朝阳区 海淀区 东城区 丰台区'), 14],
  [cnPlace('广州市', '广东省', 510, '20', '天河区 越秀区 海珠区 白云区'), 11],
  [cnPlace('深圳市', '广东省', 518, '755', '南山区 福田区 宝安区 龙岗区'), 11],
  [cnPlace('杭州市', '浙江省', 310, '571', '西湖区 滨江区 拱墅区 余杭区'), 9],
  [cnPlace('成都市', '四川省', 610, '28', '武侯区 锦江区 成华区 青羊区'), 9],
  [cnPlace('武汉市', '湖北省', 430, '27', '武昌区 江汉区 洪山区'), 8],
  [cnPlace('南京市', '江苏省', 210, '25', '鼓楼区 玄武区 江宁区'), 8],
  [cnPlace('西安市', '陕西省', 710, '29', '雁塔区 碑林区 未央区'), 7],
  [cnPlace('重庆市', '重庆市', 400, '23', '渝中区 江北区 南岸区'), 7],
]);
const CN_ROADS = [
  '人民路',
  '中山路',
  '解放路',
  '建设路',
  '和平路',
  '长江路',
  '文化路',
  '新华路',
  '学府路',
  '科技路',
];

const krPlace = (
  city: string,
  region: string | undefined,
  lo: number,
  hi: number,
  area: string,
  districts: string,
) => ({
  city,
  ...(region ? { region } : {}),
  timezone: 'Asia/Seoul',
  area,
  postal: [lo, hi] as const,
  postalWidth: 5,
  districts: districts.split(' '),
});
const KR_PLACES = new Weighted<Place>([
  [krPlace('서울특별시', undefined, 1000, 8899, '2', '강남구 송파구 마포구 서초구 노원구 관악구'), 40],
  [krPlace('부산광역시', undefined, 46000, 49527, '51', '해운대구 부산진구 사하구'), 13],
  [krPlace('인천광역시', undefined, 21000, 23136, '32', '연수구 남동구 부평구'), 11],
  [krPlace('대구광역시', undefined, 41000, 43023, '53', '수성구 달서구 북구'), 9],
  [krPlace('대전광역시', undefined, 34000, 35413, '42', '유성구 서구 중구'), 6],
  [krPlace('광주광역시', undefined, 61000, 62466, '62', '북구 서구 광산구'), 6],
  [krPlace('수원시', '경기도', 16200, 16711, '31', '영통구 팔달구 장안구'), 8],
  [krPlace('성남시', '경기도', 13100, 13646, '31', '분당구 수정구 중원구'), 7],
]);
const KR_ROADS = ['중앙로', '시민로', '문화로', '희망로', '평화로', '번영로', '대학로', '공원로'];

const esPlace = (
  city: string,
  region: string,
  lo: number,
  hi: number,
  area: string,
  canary = false,
): Place => ({
  city,
  region,
  timezone: canary ? 'Atlantic/Canary' : 'Europe/Madrid',
  area,
  postal: [lo, hi],
  postalWidth: 5,
});
const ES_PLACES = new Weighted<Place>([
  [esPlace('Madrid', 'Madrid', 28001, 28055, '91'), 30],
  [esPlace('Barcelona', 'Barcelona', 8001, 8042, '93'), 22],
  [esPlace('Valencia', 'Valencia', 46001, 46026, '96'), 12],
  [esPlace('Sevilla', 'Sevilla', 41001, 41020, '95'), 9],
  [esPlace('Zaragoza', 'Zaragoza', 50001, 50018, '976'), 6],
  [esPlace('Málaga', 'Málaga', 29001, 29018, '952'), 7],
  [esPlace('Bilbao', 'Bizkaia', 48001, 48015, '94'), 6],
  [esPlace('Las Palmas de Gran Canaria', 'Las Palmas', 35001, 35019, '928', true), 5],
  [esPlace('Santa Cruz de Tenerife', 'Santa Cruz de Tenerife', 38001, 38010, '922', true), 3],
]);
const ES_STREETS = [
  'Calle Mayor',
  'Calle de Alcalá',
  'Avenida de la Constitución',
  'Calle Real',
  'Calle San Vicente',
  'Avenida de América',
  'Calle del Carmen',
  'Calle Gran Vía',
  'Paseo de la Castellana',
  'Calle de la Paz',
];
const US_STREETS = [
  'Main St',
  'Oak Ave',
  'Maple St',
  'Cedar Ln',
  'Pine St',
  'Elm St',
  'Washington Ave',
  'Park Ave',
  'Lake Dr',
  'Hill Rd',
  'Sunset Blvd',
  '2nd St',
  'Lincoln Ave',
  'Jefferson St',
];

interface Profile {
  jurisdiction: Jurisdiction;
  currency: string;
  creditors: readonly [string, string];
  products: Weighted<Product>;
  /** Principal range in major units. */
  principal: readonly [number, number];
  /** Rounding step of principals in minor units: purchase-like (BNPL), card purchase, loan. */
  steps: { bnpl: number; card: number; loan: number };
  /** Contract rate range in basis points (1/10,000). */
  rateBp: readonly [number, number];
  channels: Weighted<Channel>;
  /** 10^decimals of the currency. */
  scale: number;
  /** formatAmount for this currency, faster. */
  money: (minor: number) => string;
}

const CENTS = Array.from({ length: 100 }, (_, i) => `.${String(i).padStart(2, '0')}`);

/** formatAmount(minor, currency), specialised for 0 and 2 decimals: it runs ~15 times per account. */
function amountFormatter(currency: string): (minor: number) => string {
  switch (minorUnits(currency)) {
    case 0:
      return (minor) => String(minor);
    case 2:
      return (minor) => {
        const cents = minor % 100;
        return String((minor - cents) / 100) + CENTS[cents]!;
      };
    default:
      return (minor) => formatAmount(minor, currency);
  }
}

const profile = (p: Omit<Profile, 'scale' | 'money'>): Profile => ({
  ...p,
  scale: 10 ** minorUnits(p.currency),
  money: amountFormatter(p.currency),
});

const PROFILES: Record<Jurisdiction, Profile> = {
  US: profile({
    jurisdiction: 'US',
    currency: 'USD',
    creditors: ['CR-US-1', 'CR-US-2'],
    products: new Weighted<Product>([
      ['personal_loan', 30],
      ['consumer_loan', 25],
      ['credit_card_installment', 25],
      ['bnpl', 20],
    ]),
    principal: [500, 15_000],
    steps: { bnpl: 1, card: 100, loan: 5_000 },
    rateBp: [1200, 3000],
    channels: new Weighted<Channel>([
      ['direct_debit', 30],
      ['card', 25],
      ['online', 25],
      ['bank_transfer', 20],
    ]),
  }),
  CN: profile({
    jurisdiction: 'CN',
    currency: 'CNY',
    creditors: ['CR-CN-1', 'CR-CN-2'],
    products: new Weighted<Product>([
      ['consumer_loan', 35],
      ['bnpl', 30],
      ['credit_card_installment', 20],
      ['personal_loan', 15],
    ]),
    principal: [1_000, 50_000],
    steps: { bnpl: 1, card: 100, loan: 10_000 },
    rateBp: [1000, 2400],
    channels: new Weighted<Channel>([
      ['online', 55],
      ['direct_debit', 20],
      ['bank_transfer', 15],
      ['card', 10],
    ]),
  }),
  KR: profile({
    jurisdiction: 'KR',
    currency: 'KRW',
    creditors: ['CR-KR-1', 'CR-KR-2'],
    products: new Weighted<Product>([
      ['personal_loan', 40],
      ['credit_card_installment', 30],
      ['consumer_loan', 25],
      ['bnpl', 5],
    ]),
    principal: [500_000, 30_000_000],
    steps: { bnpl: 100, card: 1_000, loan: 100_000 },
    rateBp: [800, 1900],
    channels: new Weighted<Channel>([
      ['direct_debit', 40],
      ['bank_transfer', 35],
      ['card', 15],
      ['online', 10],
    ]),
  }),
  ES: profile({
    jurisdiction: 'ES',
    currency: 'EUR',
    creditors: ['CR-ES-1', 'CR-ES-2'],
    products: new Weighted<Product>([
      ['consumer_loan', 35],
      ['personal_loan', 30],
      ['bnpl', 20],
      ['credit_card_installment', 15],
    ]),
    principal: [600, 12_000],
    steps: { bnpl: 1, card: 100, loan: 5_000 },
    rateBp: [700, 2000],
    channels: new Weighted<Channel>([
      ['direct_debit', 50],
      ['bank_transfer', 30],
      ['card', 15],
      ['online', 5],
    ]),
  }),
};

const JURISDICTIONS = new Weighted<Jurisdiction>([
  ['US', 35],
  ['CN', 30],
  ['ES', 20],
  ['KR', 15],
]);
/** US lenders serve Hispanic and Taiwanese customers in their languages. */
const US_LOCALES = new Weighted<'en' | 'es' | 'zh-TW'>([
  ['en', 72],
  ['es', 16],
  ['zh-TW', 12],
]);
const US_PLACES_BY_LOCALE = {
  en: new Weighted(US_PLACES.map(([p, w]) => [p, w] as const)),
  es: new Weighted(US_PLACES.map(([p, , w]) => [p, w] as const)),
  'zh-TW': new Weighted(US_PLACES.map(([p, , , w]) => [p, w] as const)),
};

/** Share of each product's principal range (log-uniform inside it): small purchases to large loans. */
const PRINCIPAL_SPAN: Record<Product, readonly [number, number]> = {
  bnpl: [0, 0.15],
  credit_card_installment: [0, 0.5],
  consumer_loan: [0.05, 1],
  personal_loan: [0.1, 1],
};
const INSTALLMENTS: Record<Product, Weighted<number>> = {
  bnpl: new Weighted([
    [3, 30],
    [4, 25],
    [6, 30],
    [12, 15],
  ]),
  credit_card_installment: new Weighted([
    [3, 20],
    [6, 30],
    [12, 35],
    [24, 15],
  ]),
  consumer_loan: new Weighted([
    [6, 15],
    [12, 40],
    [18, 15],
    [24, 30],
  ]),
  personal_loan: new Weighted([
    [9, 10],
    [12, 35],
    [18, 15],
    [24, 40],
  ]),
};

/** Target days past due as of `asOf`: [min, max], weight. A third current, then a thinning tail to ~2 years. */
const DELINQUENCY = new Weighted<readonly [number, number]>([
  [[0, 0], 35],
  [[1, 30], 24],
  [[31, 60], 14],
  [[61, 90], 10],
  [[91, 180], 9],
  [[181, 730], 8],
]);

const RELATIONSHIPS = new Weighted<Relationship>([
  ['spouse', 30],
  ['parent', 20],
  ['sibling', 20],
  ['friend', 14],
  ['colleague', 8],
  ['relative', 6],
  ['child', 2],
]);
const PARTIAL_CHANNELS: readonly Channel[] = ['bank_transfer', 'online', 'card'];

// ---------------------------------------------------------------------------------------------------------
// Generation

interface Settings {
  accounts: number;
  seed: number;
  asOf: DayNumber;
  installments: number | undefined;
  withPayments: boolean;
}

function settingsOf(opts: GenerateOptions): Settings {
  const { accounts, seed = 1, installmentsPerAccount, withPayments = true } = opts;
  if (!Number.isSafeInteger(accounts) || accounts < 0) {
    throw new ArrearsError('invalid', `accounts must be a whole number ≥ 0 (got ${String(accounts)})`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new ArrearsError('invalid', `seed must be an integer (got ${String(seed)})`);
  }
  const asOf = typeof opts.asOf === 'string' ? parseCivilDate(opts.asOf) : null;
  if (asOf === null) {
    throw new ArrearsError(
      'invalid',
      `asOf must be a real date written YYYY-MM-DD (got ${String(opts.asOf)})`,
    );
  }
  if (
    installmentsPerAccount !== undefined &&
    (!Number.isInteger(installmentsPerAccount) || installmentsPerAccount < 1 || installmentsPerAccount > 600)
  ) {
    throw new ArrearsError(
      'invalid',
      `installmentsPerAccount must be a whole number from 1 to 600 (got ${String(installmentsPerAccount)})`,
    );
  }
  return { accounts, seed, asOf, installments: installmentsPerAccount, withPayments };
}

/** "0.1825" from 1825 basis points. */
function rateText(bp: number): string {
  const whole = Math.floor(bp / 10_000);
  const fraction = String(bp % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

const MS_PER_DAY = 86_400_000;
const dayOfMonth = (day: DayNumber): number => new Date(day * MS_PER_DAY).getUTCDate();

/**
 * Yields import records: the creditors first, then for each debtor the debtor, and for each of its accounts
 * (one, or two for ~10% of debtors) the account followed by its payments.
 */
export function* generatePortfolio(opts: GenerateOptions): Generator<Record<string, unknown>> {
  const s = settingsOf(opts);
  const rng = new Rng(s.seed);
  const width = String(s.accounts).length;
  // Date texts, memoised in an array around asOf (formatDay allocates a Date; ~15 dates per account).
  const first = s.asOf - 6_000;
  const dayTexts: string[] = [];
  const day = (d: DayNumber): string => {
    const i = d - first;
    if (i < 0 || i >= 12_000) return formatDay(d);
    return (dayTexts[i] ??= formatDay(d));
  };

  yield* creditorRecords();

  let accounts = 0;
  let debtors = 0;
  while (accounts < s.accounts) {
    debtors++;
    const debtorRef = `D-${String(debtors).padStart(width, '0')}`;
    const jurisdiction = JURISDICTIONS.pick(rng);
    yield debtorRecord(rng, debtorRef, jurisdiction);
    const count = s.accounts - accounts >= 2 && rng.chance(0.1) ? 2 : 1;
    for (let k = 0; k < count; k++) {
      accounts++;
      const accountRef = `A-${String(accounts).padStart(width, '0')}`;
      yield* accountRecords(rng, s, day, PROFILES[jurisdiction], accountRef, debtorRef);
    }
  }
}

function personName(
  rng: Rng,
  locale: Locale,
  jurisdiction: Jurisdiction,
  family?: Name,
): { name: string; family: Name; given: Name } {
  const names = NAMES[locale];
  const f = family ?? names.family[Math.floor(names.family.length * rng.next() ** 1.4)]!;
  const given = rng.pick(names.given);
  let name: string;
  switch (locale) {
    case 'en':
      name = `${given[0]} ${f[0]}`;
      break;
    case 'es':
      // Spanish naming: both surnames (always in Spain; often in the US).
      name = `${given[0]} ${f[0]}${jurisdiction === 'ES' || rng.chance(0.5) ? ` ${rng.pick(names.family)[0]}` : ''}`;
      break;
    case 'ko':
    case 'zh-CN':
    case 'zh-TW':
      name = f[0] + given[0];
      break;
  }
  return { name, family: f, given };
}

function mobile(rng: Rng, jurisdiction: Jurisdiction, place: Place): string {
  switch (jurisdiction) {
    case 'US':
      return `+1${place.area}55501${rng.digits(2)}`;
    case 'CN':
      return `+861${rng.pick(['3', '3', '3', '5', '5', '8', '8', '7', '9'])}${rng.digits(9)}`;
    case 'KR':
      return `+8210${rng.digits(8, 2)}`;
    case 'ES':
      return rng.chance(0.9) ? `+346${rng.digits(8)}` : `+347${rng.int(1, 4)}${rng.digits(7)}`;
  }
}

function landline(rng: Rng, jurisdiction: Jurisdiction, place: Place): string {
  switch (jurisdiction) {
    case 'US':
      return `+1${place.area}55501${rng.digits(2)}`;
    case 'CN':
      return `+86${place.area}${rng.digits(8, 2)}`;
    case 'KR':
      return `+82${place.area}${rng.digits(place.area.length === 1 ? 8 : 7, 2)}`;
    case 'ES':
      return `+34${place.area}${rng.digits(9 - place.area.length, 1)}`;
  }
}

function emailOf(rng: Rng, locale: Locale, family: Name, given: Name): string {
  const domain = rng.pick(EMAIL_DOMAINS);
  const n = rng.chance(0.6) ? String(rng.int(1, 999)) : '';
  switch (locale) {
    case 'zh-CN':
      if (rng.chance(0.4)) return `${rng.digits(9, 1)}@${domain}`;
      return `${family[1]}${given[1]}${n}@${domain}`;
    case 'ko':
      return `${given[1]}${family[1]}${n}@${domain}`;
    case 'en':
    case 'es':
      return rng.chance(0.5)
        ? `${given[1]}.${family[1]}${n}@${domain}`
        : `${given[1][0]}${family[1]}${n}@${domain}`;
    case 'zh-TW':
      return `${given[1]}.${family[1]}${n}@${domain}`;
  }
}

function addressOf(rng: Rng, jurisdiction: Jurisdiction, place: Place): Record<string, unknown> {
  let line1: string;
  let line2: string | undefined;
  const districts = place.districts ?? [''];
  switch (jurisdiction) {
    case 'US':
      line1 = `${rng.int(1, 9899)} ${rng.pick(US_STREETS)}`;
      if (rng.chance(0.35)) line2 = `Apt ${rng.int(1, 30)}${rng.pick(['A', 'B', 'C', 'D', 'E', 'F'])}`;
      break;
    case 'CN':
      line1 = `${rng.pick(districts)}${rng.pick(CN_ROADS)}${rng.int(1, 999)}号`;
      line2 = `${rng.int(1, 30)}栋${rng.int(1, 4)}单元${rng.int(1, 32)}0${rng.int(1, 6)}室`;
      break;
    case 'KR':
      line1 = `${rng.pick(districts)} ${rng.pick(KR_ROADS)} ${rng.int(1, 400)}`;
      line2 = `${rng.int(101, 120)}동 ${rng.int(1, 25)}0${rng.int(1, 6)}호`;
      break;
    case 'ES':
      line1 = `${rng.pick(ES_STREETS)}, ${rng.int(1, 180)}`;
      line2 = `${rng.int(1, 9)}º ${rng.pick(['A', 'B', 'C', 'D'])}`;
      break;
  }
  return {
    kind: 'home',
    line1,
    ...(line2 ? { line2 } : {}),
    city: place.city,
    ...(place.region ? { region: place.region } : {}),
    postalCode: String(rng.int(place.postal[0], place.postal[1])).padStart(place.postalWidth, '0'),
    country: jurisdiction,
  };
}

function debtorRecord(rng: Rng, ref: string, jurisdiction: Jurisdiction): Record<string, unknown> {
  let locale: Locale;
  let place: Place;
  switch (jurisdiction) {
    case 'US': {
      const l = US_LOCALES.pick(rng);
      locale = l;
      place = US_PLACES_BY_LOCALE[l].pick(rng);
      break;
    }
    case 'CN':
      locale = 'zh-CN';
      place = CN_PLACES.pick(rng);
      break;
    case 'KR':
      locale = 'ko';
      place = KR_PLACES.pick(rng);
      break;
    case 'ES':
      locale = 'es';
      place = ES_PLACES.pick(rng);
      break;
  }
  const person = personName(rng, locale, jurisdiction);
  const phones: { number: string; kind: string }[] = [
    { number: mobile(rng, jurisdiction, place), kind: 'mobile' },
  ];
  if (rng.chance(0.25)) phones.push({ number: landline(rng, jurisdiction, place), kind: 'home' });
  const emails = rng.chance(0.85) ? [emailOf(rng, locale, person.family, person.given)] : [];

  const contacts: Record<string, unknown>[] = [];
  if (rng.chance(0.6)) {
    const wanted = rng.chance(0.35) ? 2 : 1; // never more than 2: the CN limit (CN.ADDRESS_BOOK) holds everywhere
    for (let i = 0; i < wanted; i++) {
      const relationship = RELATIONSHIPS.pick(rng);
      const sharesFamily =
        relationship === 'parent' ||
        relationship === 'sibling' ||
        relationship === 'child' ||
        (relationship === 'spouse' && locale === 'en' && rng.chance(0.6)) ||
        (relationship === 'relative' && rng.chance(0.5));
      const contact = personName(rng, locale, jurisdiction, sharesFamily ? person.family : undefined);
      contacts.push({
        name: contact.name,
        relationship,
        phone: mobile(rng, jurisdiction, place),
        ...(rng.chance(0.2) ? { email: emailOf(rng, locale, contact.family, contact.given) } : {}),
        consent: true,
        source: 'debtor_provided',
      });
    }
  }

  return {
    type: 'debtor',
    ref,
    name: person.name,
    locale,
    timezone: place.timezone,
    jurisdiction,
    phones,
    emails,
    addresses: [addressOf(rng, jurisdiction, place)],
    contacts,
  };
}

function principalOf(rng: Rng, p: Profile, product: Product): number {
  const [lo, hi] = p.principal;
  const [from, to] = PRINCIPAL_SPAN[product];
  const a = Math.max(lo, lo + (hi - lo) * from);
  const b = lo + (hi - lo) * to;
  const major = a * (b / a) ** rng.next(); // log-uniform: many small loans, few large ones
  const step =
    product === 'bnpl' ? p.steps.bnpl : product === 'credit_card_installment' ? p.steps.card : p.steps.loan;
  const minor = Math.round((major * p.scale) / step) * step;
  return Math.min(hi * p.scale, Math.max(lo * p.scale, minor));
}

/**
 * The due date `dpd` days before asOf, moved off the 29th–31st (lenders schedule on the 1st–28th, so that
 * monthly due dates never clamp): to the 28th if that stays within `hi` days past due, else to the 1st of the
 * next month (at most 3 days fewer, which stays within a bucket at least 6 days wide).
 */
function dueDateFor(asOf: DayNumber, dpd: number, hi: number): DayNumber {
  const due = asOf - dpd;
  const date = new Date(due * MS_PER_DAY);
  const dom = date.getUTCDate();
  if (dom <= 28) return due;
  if (dpd + dom - 28 <= hi) return due - (dom - 28);
  const monthEnd = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  return due + (monthEnd - dom + 1);
}

/**
 * Due dates one month apart from `opened`: addMonths(opened, 1..n). Openings fall on the 1st–28th, so no
 * date clamps and Date.UTC (no allocation) does it several times faster than addMonths.
 */
function monthlyDues(opened: DayNumber, n: number): DayNumber[] {
  const dues = new Array<DayNumber>(n);
  const date = new Date(opened * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const dom = date.getUTCDate();
  for (let i = 0; i < n; i++) {
    dues[i] = dom <= 28 ? Date.UTC(year, month + i + 1, dom) / MS_PER_DAY : addMonths(opened, i + 1);
  }
  return dues;
}

/** The account record followed by its payments. */
function accountRecords(
  rng: Rng,
  s: Settings,
  day: (d: DayNumber) => string,
  p: Profile,
  ref: string,
  debtorRef: string,
): Record<string, unknown>[] {
  const { currency, money } = p;
  const creditorRef = rng.pick(p.creditors);
  const product = p.products.pick(rng);
  const n = s.installments ?? INSTALLMENTS[product].pick(rng);
  const principal = principalOf(rng, p, product);
  const rateBp = p.rateBp[0] + 25 * rng.int(0, (p.rateBp[1] - p.rateBp[0]) / 25);
  // Contract penalty rate: 1.3–1.5 × the contract rate, often above the legal caps (the caps then bite).
  const penaltyBp = Math.round((rateBp * rng.int(130, 150)) / 100 / 5) * 5;

  // Where the account stands as of asOf: `paid` installments paid on time; if delinquent, installment
  // `paid` is the oldest unpaid one, due `dpd` days before asOf.
  const [lo, hi] = DELINQUENCY.pick(rng);
  let opened: DayNumber;
  let paid: number;
  let delinquent = false;
  if (hi === 0) {
    const k = rng.int(0, n - 1);
    opened = addMonths(s.asOf, -k) - rng.int(0, 27);
    const dom = dayOfMonth(opened);
    if (dom > 28) opened -= dom - 28; // due dates on the 1st–28th, as lenders schedule them
    paid = -1; // counted from the schedule below
  } else {
    const dpd = hi > 180 ? lo + Math.floor((hi - lo + 1) * rng.next() ** 2) : rng.int(lo, hi);
    paid = Math.floor(n * rng.next() ** 1.3); // defaults come early more often than late
    opened = addMonths(dueDateFor(s.asOf, dpd, hi), -(paid + 1));
    delinquent = true;
  }

  // Equal principal, the remainder in the last installment; interest on the declining balance, monthly.
  const base = Math.floor(principal / n);
  const dues = monthlyDues(opened, n);
  const totals = new Array<number>(n);
  const installments = new Array<{ due: string; principal: string; interest: string }>(n);
  let balance = principal;
  for (let i = 0; i < n; i++) {
    const share = i === n - 1 ? balance : base;
    // round half up of balance × rate / 12, in integers (balance × bp stays far below 2^53)
    const interest = Math.floor((2 * balance * rateBp + 120_000) / 240_000);
    const due = dues[i]!;
    totals[i] = share + interest;
    installments[i] = {
      due: day(due),
      principal: money(share),
      interest: money(interest),
    };
    balance -= share;
  }
  if (paid < 0) {
    paid = 0;
    while (paid < n && dues[paid]! < s.asOf) paid++;
  }

  const records: Record<string, unknown>[] = [];
  records.push({
    type: 'account',
    ref,
    debtorRef,
    creditorRef,
    product,
    currency,
    principal: money(principal),
    interestRate: rateText(rateBp),
    penaltyRate: rateText(penaltyBp),
    openedOn: day(opened),
    installments,
  });
  if (!s.withPayments) return records;

  let seq = 0;
  const payment = (amount: number, receivedOn: DayNumber, channel: Channel) => ({
    type: 'payment',
    ref: `P-${ref}-${++seq}`,
    accountRef: ref,
    amount: money(amount),
    receivedOn: day(receivedOn),
    channel,
  });
  const channel = p.channels.pick(rng);
  for (let i = 0; i < paid; i++) {
    const due = dues[i]!;
    // direct debits are collected on the due date; others arrive up to three days early
    records.push(payment(totals[i]!, channel === 'direct_debit' ? due : due - rng.int(0, 3), channel));
  }
  if (delinquent && paid < n && rng.chance(0.45)) {
    // Partial payments on the oldest unpaid installment after it fell due: 10–35% each, never covering it.
    const total = totals[paid]!;
    const step = p.scale === 1 ? 1_000 : p.scale;
    let when = dues[paid]!;
    const parts = rng.chance(0.3) ? 2 : 1;
    for (let i = 0; i < parts && when < s.asOf; i++) {
      const target = Math.floor((total * rng.int(10, 35)) / 100);
      const amount = target >= step ? Math.floor(target / step) * step : target;
      if (amount <= 0) break;
      when = rng.int(when + 1, s.asOf);
      records.push(payment(amount, when, rng.pick(PARTIAL_CHANNELS)));
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------------------
// Writing

const CHUNK = 1 << 20;

/**
 * Streams the portfolio to `file` as NDJSON: each record is JSON.stringify'd and encoded into a ~1 MB buffer;
 * full buffers go to the stream, waiting for 'drain' when it is saturated, so memory stays flat whatever the
 * size. (Encoding line by line is much faster than concatenating a 1 MB string: one CJK name would make the
 * whole chunk a two-byte string, and UTF-8-encoding those is slow.)
 */
export async function writePortfolio(
  file: string,
  opts: GenerateOptions,
): Promise<{ records: number; accounts: number }> {
  settingsOf(opts); // refuse bad options before creating the file
  const out = createWriteStream(file, { highWaterMark: 8 * CHUNK });
  out.on('error', () => {
    // reported through `errored`, once('drain') and finished() below
  });
  try {
    let chunk = Buffer.allocUnsafe(CHUNK);
    let used = 0;
    let records = 0;
    let accounts = 0;
    const flush = async () => {
      if (out.errored) throw out.errored;
      const full = out.write(chunk.subarray(0, used)) === false;
      chunk = Buffer.allocUnsafe(CHUNK); // the stream keeps the written one until it is on disk
      used = 0;
      if (full) await once(out, 'drain');
    };
    for (const record of generatePortfolio(opts)) {
      const json = JSON.stringify(record);
      records++;
      if (record.type === 'account') accounts++;
      const worst = json.length * 3 + 1; // UTF-8 bytes per UTF-16 unit, at most, and the newline
      if (used + worst > chunk.length) {
        if (used > 0) await flush();
        if (worst > chunk.length) chunk = Buffer.allocUnsafe(worst);
      }
      used += chunk.write(json, used);
      chunk[used++] = 0x0a;
    }
    if (used > 0) await flush();
    out.end();
    await finished(out);
    return { records, accounts };
  } catch (error) {
    out.destroy();
    throw error;
  }
}
