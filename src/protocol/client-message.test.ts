import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './client-message.js';

const error = (text: string): string => {
  const parsed = parseClientMessage(text);
  return parsed.ok ? 'ok' : parsed.error;
};

describe('parseClientMessage', () => {
  it('parses each message type', () => {
    expect(parseClientMessage('{"type":"hello","role":"subscriber"}')).toEqual({
      ok: true,
      message: { type: 'hello', role: 'subscriber' },
    });
    expect(
      parseClientMessage('{"type":"command","command":"approve","id":3,"requestId":"r1"}'),
    ).toEqual({
      ok: true,
      message: { type: 'command', command: 'approve', id: 3, requestId: 'r1' },
    });
    expect(parseClientMessage('{"type":"hello","role":"auto","token":"t"}')).toEqual({
      ok: true,
      message: { type: 'hello', role: 'auto', token: 't' },
    });
    expect(parseClientMessage('{"type":"clock","tsMs":1723161600000}').ok).toBe(true);
    expect(
      parseClientMessage(
        '{"type":"report","reportId":"a1-1","report":{"type":"strategy-error","arm":"canary","tsMs":1,"message":"x"}}',
      ).ok,
    ).toBe(true);
  });

  it('completes a minimal market event', () => {
    const parsed = parseClientMessage(
      JSON.stringify({
        type: 'market',
        event: {
          type: 'trade',
          tsUs: 1723161600000000,
          exchange: 'binance',
          symbol: 'BTCUSDT',
          price: '60000.5',
          size: '0.1',
        },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      message: {
        type: 'market',
        event: {
          type: 'trade',
          tsUs: 1723161600000000,
          exchangeTsUs: null,
          exchange: 'binance',
          symbol: 'BTCUSDT',
          id: null,
          side: null,
          price: '60000.5',
          priceNum: 60000.5,
          size: '0.1',
          sizeNum: 0.1,
        },
      },
    });
  });

  it('refuses what is not a message, saying why', () => {
    expect(error('{nope')).toBe('not JSON');
    expect(error('[1,2]')).toBe('not a JSON object');
    expect(error('"hello"')).toBe('not a JSON object');
    expect(error('{"type":"subscribe"}')).toMatch(/^unknown type "subscribe"/);
    expect(error('{"role":"agent"}')).toMatch(/^unknown type undefined/);
    expect(error('{"type":"hello","role":"admin"}')).toMatch(/^role:/);
    expect(error('{"type":"hello","role":"agent","agentId":"a b"}')).toMatch(/^agentId:/);
    expect(error('{"type":"hello","role":"subscriber","extra":1}')).toMatch(/extra|Unrecognized/);
    expect(error('{"type":"command","command":"approve"}')).toMatch(/^id: approve and reject/);
    expect(error('{"type":"command","command":"approve","id":1.5}')).toMatch(/^id:/);
    expect(error('{"type":"command","command":"explode"}')).toMatch(/^command:/);
    expect(error('{"type":"clock","tsMs":"soon"}')).toMatch(/^tsMs:/);
    expect(error('{"type":"clock","tsMs":-1}')).toMatch(/^tsMs:/);
    // Outside the times the canary takes (2000-01-01 to 2100-01-01): in seconds, in µs.
    expect(error('{"type":"clock","tsMs":1723161600}')).toMatch(/^tsMs: before 2000-01-01/);
    expect(error('{"type":"clock","tsMs":1723161600000000}')).toMatch(/^tsMs: 2100-01-01 or later/);
    expect(error('{"type":"report","reportId":"","report":{}}')).toMatch(/^reportId:/);
    expect(error('{"type":"report","reportId":"r","report":[]}')).toMatch(/^report:/);
  });

  it('refuses market events with a bad shape or non-finite numbers', () => {
    const tsUs = 1723161600000000;
    const trade = { type: 'trade', tsUs, exchange: 'b', symbol: 'S', price: '1', size: '1' };
    const market = (event: unknown) => error(JSON.stringify({ type: 'market', event }));
    expect(market(trade)).toBe('ok');
    expect(market({ ...trade, type: 'book' })).toMatch(/^event\.type:/);
    expect(market({ ...trade, price: 'NaN' })).toMatch(/^event\.price:/);
    expect(market({ ...trade, price: '0' })).toMatch(/^event\.priceNum: must be positive/);
    expect(market({ ...trade, priceNum: -1 })).toMatch(/^event\.priceNum:/);
    expect(market({ ...trade, tsUs: tsUs + 0.5 })).toMatch(/^event\.tsUs:/);
    expect(market({ ...trade, tsUs: tsUs / 1000 })).toMatch(/^event\.tsUs: before 2000-01-01/);
    expect(market({ ...trade, tsUs: 4_102_444_800_000_000 })).toMatch(
      /^event\.tsUs: 2100-01-01 or later/,
    );
    expect(market({ ...trade, symbol: '' })).toMatch(/^event\.symbol:/);
    expect(market({ type: 'quote', tsUs, exchange: 'b', symbol: 'S', bidPrice: '1' })).toMatch(
      /^event\.bidSize:/,
    );
    // JSON has no NaN or Infinity: 1e999 parses as Infinity, and is refused.
    expect(
      error(`{"type":"market","event":${JSON.stringify(trade).replace('}', ',"sizeNum":1e999}')}}`),
    ).toMatch(/^event\.sizeNum:/);
  });

  it('keeps the ids of a refused message, to echo them', () => {
    expect(parseClientMessage('{"type":"report","reportId":"r9","report":5}')).toMatchObject({
      ok: false,
      reportId: 'r9',
    });
    expect(parseClientMessage('{"type":"command","command":"x","requestId":"q"}')).toMatchObject({
      ok: false,
      requestId: 'q',
    });
  });
});
