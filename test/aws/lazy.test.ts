import { describe, expect, it } from 'vitest';
import { lazyApi } from '../../src/aws/lazy.js';

describe('lazyApi', () => {
  it('builds the adapter on the first call only, once, and forwards arguments and errors', async () => {
    let built = 0;
    const api = lazyApi(async () => {
      built++;
      return { add: async (a: number, b: number) => a + b, fail: async () => Promise.reject(new Error('boom')) };
    });
    expect(built).toBe(0);
    expect(await api.add(2, 3)).toBe(5);
    await expect(api.fail()).rejects.toThrow('boom');
    expect(built).toBe(1);
  });
});
