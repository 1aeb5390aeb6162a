// sameJson answers as comparing the two JSON texts would, key order aside.
import { describe, expect, it } from 'vitest';
import { sameJson } from './queue-metrics';

describe('sameJson', () => {
  it('is true for equal figures, however deep, whatever the key order', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2, { d: 'x' }], e: null } }, { b: { e: null, c: [1, 2, { d: 'x' }] }, a: 1 })).toBe(true);
    expect(sameJson([], [])).toBe(true);
    expect(sameJson('sales', 'sales')).toBe(true);
  });

  it('is false for any changed, added or removed figure', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson([1, 2], [1, 2, 3])).toBe(false);
    expect(sameJson({ a: null }, { a: 0 })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
    expect(sameJson([1], { 0: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, undefined)).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });

  it('takes a key holding undefined as absent, as JSON does (customerName is optional on the wire)', () => {
    expect(sameJson({ agent: 'a1', customerName: undefined }, { agent: 'a1' })).toBe(true);
    expect(sameJson({ agent: 'a1' }, { agent: 'a1', customerName: undefined })).toBe(true);
    expect(sameJson({ agent: 'a1', customerName: undefined }, { agent: 'a1', customerName: null })).toBe(false);
  });
});
