// Calendar functions of a Unix time in seconds, in UTC, with Go's semantics for every float:
// Prometheus converts the value with int64(v) and asks time.Unix(s, 0).UTC() for the field.
//
// - int64(v) truncates; NaN, ±Inf and values out of the int64 range become -2^63 (what the amd64
//   instruction Go compiles the conversion to yields; Prometheus' release builds run there).
// - Go's calendar counts seconds from an "absolute zero" (March 1 of year -292277022400) in a
//   uint64, so times before that instant wrap around: -2^63 s is read as +2^63 s, which is
//   Sunday 292277026596-12-04 15:30:08 UTC. So year(vector(NaN)) is 292277026596, not NaN.
// Within that range the calendar is the proleptic Gregorian one, computed here on day numbers
// (safe integers) rather than with JS's Date, which stops at ±275,760 years.

const SECONDS_PER_DAY = 86_400;
const TWO_POW_63 = 2 ** 63;
// Go's unixToAbsolute: seconds from the absolute zero instant to 1970-01-01.
const UNIX_TO_ABSOLUTE = 9_223_372_028_741_760_000n;
const TWO_POW_64 = 1n << 64n;

/** A broken-down UTC time, reused by every call (the functions return one number each). */
interface Civil {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
  dayOfYear: number; // 1..366
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
}

const civil: Civil = { year: 0, month: 0, day: 0, dayOfYear: 0, weekday: 0, hour: 0, minute: 0 };

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Fills `civil` from days since 1970-01-01 and the second of that day. */
function fromDays(days: number, secondOfDay: number): void {
  // Days since 0000-03-01 in 400-year eras (146,097 days each), March-based years so that the
  // leap day is the last day of a year.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  civil.year = year;
  civil.month = month;
  civil.day = day;
  civil.dayOfYear = DAYS_BEFORE_MONTH[month - 1] + day + (month > 2 && isLeap(year) ? 1 : 0);
  // 1970-01-01 was a Thursday.
  civil.weekday = (((days + 4) % 7) + 7) % 7;
  civil.hour = Math.floor(secondOfDay / 3600);
  civil.minute = Math.floor((secondOfDay % 3600) / 60);
}

/** Go's time.Unix(int64(v), 0).UTC() broken down into `civil`. */
function breakDown(v: number): void {
  if (Math.abs(v) < 2 ** 53) {
    // The common case: exact in doubles, far from any wrap-around.
    const s = Math.trunc(v);
    const secondOfDay = ((s % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY;
    fromDays((s - secondOfDay) / SECONDS_PER_DAY, secondOfDay);
    return;
  }
  let s = v >= -TWO_POW_63 && v < TWO_POW_63 ? BigInt(v) : -(1n << 63n);
  // Before Go's absolute zero the uint64 seconds wrap around.
  if (s + UNIX_TO_ABSOLUTE < 0n) s += TWO_POW_64;
  const perDay = BigInt(SECONDS_PER_DAY);
  let secondOfDay = s % perDay;
  if (secondOfDay < 0n) secondOfDay += perDay;
  fromDays(Number((s - secondOfDay) / perDay), Number(secondOfDay));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

type Field = (c: Civil) => number;

function field(f: Field): (unixSeconds: number) => number {
  return (s) => {
    breakDown(s);
    return f(civil);
  };
}

export const DATE_FUNCTIONS: ReadonlyMap<string, (unixSeconds: number) => number> = new Map([
  ['day_of_month', field((c) => c.day)],
  ['day_of_week', field((c) => c.weekday)],
  ['day_of_year', field((c) => c.dayOfYear)],
  ['days_in_month', field((c) => daysInMonth(c.year, c.month))],
  ['hour', field((c) => c.hour)],
  ['minute', field((c) => c.minute)],
  ['month', field((c) => c.month)],
  ['year', field((c) => c.year)],
]);
