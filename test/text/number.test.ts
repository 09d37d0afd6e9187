import { describe, expect, it } from 'vitest';
import { formatCount, formatNumber, formatPercent, formatPercentOf, formatPoints, formatSignedPercent, roundHalfUp } from '../../src/text/number.js';

describe('the one rounding rule: one decimal, half away from zero', () => {
  it('rounds halves up on the magnitude, from the shortest decimal form', () => {
    expect(roundHalfUp(84.75)).toBe(84.8);
    expect(roundHalfUp(84.7983)).toBe(84.8);
    expect(roundHalfUp(71.45)).toBe(71.5);
    expect(roundHalfUp(-0.25)).toBe(-0.3);
    expect(roundHalfUp(80 - 79.95)).toBe(0.1);
    expect(roundHalfUp(-0.04)).toBe(0);
  });

  it('rounds a share of two counts from the integers', () => {
    expect(formatPercentOf(5, 7)).toBe('71.4 %');
    expect(formatPercentOf(1, 8)).toBe('12.5 %');
    expect(formatPercentOf(12, 19)).toBe('63.2 %');
    expect(formatPercentOf(2, 3)).toBe('66.7 %');
    expect(formatPercentOf(19, 19)).toBe('100 %');
    expect(formatPercentOf(0, 0)).toBe('n/a');
  });

  it('drops a trailing .0, groups thousands, signs changes', () => {
    expect(formatPercent(80)).toBe('80 %');
    expect(formatNumber(1234.56)).toBe('1,234.6');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatPoints(1.25)).toBe('+1.3 pts');
    expect(formatPoints(-0.5)).toBe('−0.5 pts');
    expect(formatPoints(0.01)).toBe('±0 pts');
    expect(formatSignedPercent(22.45)).toBe('+22.5 %');
  });
});
