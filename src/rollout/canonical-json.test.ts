import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './plan-hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: undefined }], é: -0.5 })).toBe(
      '{"a":[true,null,{"d":"x"}],"b":1,"é":-0.5}',
    );
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
  });

  it('refuses what JSON cannot carry exactly', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/\$\.a/);
    expect(() => canonicalJson([1n])).toThrow(TypeError);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
