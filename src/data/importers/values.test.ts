import { describe, expect, it } from 'vitest';
import { ageBand, attributeName, clip, median, parseTimestamp } from './values.js';

describe('parseTimestamp', () => {
  it('reads unix seconds, unix ms and ISO dates as UTC', () => {
    expect(parseTimestamp('1600000000')).toBe(1_600_000_000_000);
    expect(parseTimestamp('1600000000123')).toBe(1_600_000_000_123);
    expect(parseTimestamp(1600000000)).toBe(1_600_000_000_000);
    expect(parseTimestamp('2020-09-22')).toBe(Date.UTC(2020, 8, 22));
    expect(parseTimestamp('2020-09-22T10:30')).toBe(Date.UTC(2020, 8, 22, 10, 30));
    expect(parseTimestamp('2020-09-22T10:30:00+02:00')).toBe(Date.UTC(2020, 8, 22, 8, 30));
  });

  it('rejects what is not a time', () => {
    for (const bad of ['', 'soon', '22/09/2020', '-5', '2020-13-45']) expect(parseTimestamp(bad), bad).toBeUndefined();
  });
});

describe('small parsers', () => {
  it('bands ages', () => {
    expect([10, 18, 24, 25, 54, 55, 70].map(ageBand)).toEqual(['under 18', '18-24', '18-24', '25-34', '45-54', '55-64', '65+']);
    expect(ageBand(undefined)).toBeUndefined();
    expect(ageBand(0)).toBeUndefined();
  });

  it('names attributes, clips text, takes medians', () => {
    expect(attributeName('Color:')).toBe('colour');
    expect(attributeName('Metal Type:')).toBe('metalType');
    expect(clip('one two three four', 10)).toBe('one two…');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
