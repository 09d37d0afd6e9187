/**
 * How every number a person reads is written (comment, HTML report, job log, gate reasons).
 * result.json keeps exact values; these functions only format them.
 *
 * The one rounding rule: **one decimal, rounded half away from zero** ("half-up" on the
 * magnitude: 71.45 → 71.5, −0.25 → −0.3), and a trailing `.0` is dropped (80 %, 100 %).
 * A percentage of two counts is rounded from the counts themselves, in integers, so 5 of 7
 * (71.428…) is 71.4 and 1 of 8 (12.5) is 12.5 whatever floating point says; a stored value is
 * rounded from its shortest decimal form, so 84.75 reads 84.8 (never 84.7 from 84.74999…).
 * Percent signs are set off by a space ("71.4 %"), as the comment's headline does.
 */

let intl: Intl.NumberFormat | undefined;

/**
 * What `Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })` prints, without creating one
 * for the common case: building the first formatter loads ICU data, about 20 ms of every run.
 * Whole numbers up to 2^53 are grouped here (halves away from zero, as Intl's halfExpand);
 * anything else (NaN, infinities, beyond safe integers) goes to Intl.
 */
function grouped(value: number): string {
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  if (!Number.isSafeInteger(rounded)) {
    intl ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, useGrouping: true });
    return intl.format(value);
  }
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 || Object.is(rounded, -0) ? `-${digits}` : digits;
}

/** `value` rounded to `decimals` places, half away from zero, from its shortest decimal form. */
export function roundHalfUp(value: number, decimals = 1): number {
  if (!Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  // toPrecision(12) drops the binary tail (84.75 is stored as 84.7499999…), then the decimal shift is exact enough.
  const scaled = Number((Math.abs(value) * 10 ** decimals).toPrecision(12));
  const rounded = Math.floor(scaled + 0.5) / 10 ** decimals;
  return rounded === 0 ? 0 : sign * rounded;
}

/** A number with at most one decimal (`.0` dropped) and thousands grouped: `1,234.5`, `80`. */
export function formatNumber(value: number): string {
  const rounded = roundHalfUp(value, 1);
  const whole = Math.trunc(Math.abs(rounded));
  const tenth = Math.round((Math.abs(rounded) - whole) * 10);
  const sign = rounded < 0 ? '−' : '';
  return `${sign}${grouped(whole)}${tenth === 0 ? '' : `.${tenth}`}`;
}

/** An integer count with thousands grouped: `1,000`. */
export function formatCount(value: number): string {
  return grouped(value);
}

/** A percentage: `71.4 %`. */
export function formatPercent(value: number): string {
  return `${formatNumber(value)} %`;
}

/** `part` of `whole` as a percentage, rounded from the integers (half up): `formatPercentOf(5, 7)` is `71.4 %`. */
export function formatPercentOf(part: number, whole: number): string {
  if (whole <= 0) return 'n/a';
  // tenths = round(part × 1000 ÷ whole), half up, in integer arithmetic.
  const tenths = Math.floor((part * 2000 + whole) / (2 * whole));
  return formatPercent(tenths / 10);
}

/** A signed change in percentage points: `+1.2 pts`, `−0.5 pts`, `±0 pts`. */
export function formatPoints(delta: number): string {
  const rounded = roundHalfUp(delta, 1);
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${formatNumber(Math.abs(rounded))} pts`;
}

/** A signed relative change: `+22.5 %`, `−10 %`, `±0 %`. */
export function formatSignedPercent(delta: number): string {
  const rounded = roundHalfUp(delta, 1);
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${formatPercent(Math.abs(rounded))}`;
}
