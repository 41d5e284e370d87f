import { describe, expect, it } from 'vitest';
import { applyPriceOverrides, DEFAULT_PRICES, PRICE_IDS, priceOf } from '../../../src/core/cost/prices.js';
import { UsageError } from '../../../src/core/errors.js';

describe('DEFAULT_PRICES', () => {
  it('has a dated, sourced entry for every price, and marks the UpdateObjectEncryption price as an assumption', () => {
    expect(DEFAULT_PRICES.takenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const id of PRICE_IDS) {
      expect(DEFAULT_PRICES.prices[id].source.length).toBeGreaterThan(10);
      expect(DEFAULT_PRICES.prices[id].per).toBeGreaterThan(0);
    }
    expect(DEFAULT_PRICES.prices.updateObjectEncryptionRequest.status).toBe('assumption');
    expect(DEFAULT_PRICES.prices.updateObjectEncryptionRequest.usd).toBe(
      DEFAULT_PRICES.prices.putRequest.usd,
    );
  });

  it('prices per unit batch', () => {
    expect(priceOf(DEFAULT_PRICES.prices.kmsRequest, 20_000)).toBeCloseTo(0.06, 10);
  });
});

describe('applyPriceOverrides', () => {
  it('overrides only what the file names, as a number or an object', () => {
    const t = applyPriceOverrides(
      DEFAULT_PRICES,
      {
        region: 'eu-west-1',
        prices: { putRequest: 0.0054, kmsRequest: { usd: 0.03, per: 20_000, source: 'my sheet' } },
      },
      'p.json',
    );
    expect(t.region).toBe('eu-west-1');
    expect(t.takenOn).toBe(DEFAULT_PRICES.takenOn);
    expect(t.prices.putRequest).toMatchObject({
      usd: 0.0054,
      per: 1000,
      status: 'override',
      source: 'p.json',
    });
    expect(t.prices.kmsRequest).toMatchObject({
      usd: 0.03,
      per: 20_000,
      status: 'override',
      source: 'my sheet',
    });
    expect(t.prices.batchJob).toEqual(DEFAULT_PRICES.prices.batchJob);
    expect(DEFAULT_PRICES.prices.putRequest.usd).toBe(0.005);
  });

  it.each([
    [{ prices: { putRequests: 1 } }, /prices: Unrecognized key/i],
    [{ prices: { putRequest: -1 } }, /prices\.putRequest: /],
    [{ prices: { putRequest: { usd: 1, per: 0 } } }, /prices\.putRequest/],
    [{ currency: 'EUR' }, /Unrecognized key/i],
    [['not', 'an', 'object'], /top level/],
  ])('rejects %j with one line naming the field', (raw, message) => {
    try {
      applyPriceOverrides(DEFAULT_PRICES, raw, 'bad.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).message).toMatch(/^invalid --prices file bad\.json: /);
      expect((e as UsageError).message).toMatch(message);
      expect((e as UsageError).hint).toContain('putRequest');
    }
  });
});
