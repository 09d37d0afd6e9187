import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/text/number.js';

describe('formatCount', () => {
  it('prints what Intl en-US with no decimals prints, for every kind of number', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, useGrouping: true });
    const values = [0, -0, 1, 7, 999, 1000, 1234.5, 2.5, -2.5, 0.5, -0.4, 999_999, 1_000_000, -1_234_567, 2 ** 53 - 1, 2 ** 53, 1e21, 1e300, Number.NaN, Infinity, -Infinity];
    for (let i = 0; i < 2000; i += 1) values.push(Math.round((Math.random() - 0.5) * 10 ** (1 + (i % 15))) / (i % 3 === 0 ? 10 : 1));
    for (const value of values) expect(formatCount(value), String(value)).toBe(intl.format(value));
  });
});
