import { jetstream, jetstreamManager, AckPolicy, RetentionPolicy } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { skipWithoutNats, startNatsServer, type NatsServer } from './nats-server-harness.js';

/**
 * What the fleet on NATS (issue 13) relies on, checked against the server the project runs
 * (Debian's nats-server 2.9): JetStream de-duplication by message id, durable consumers that
 * redeliver what was not acknowledged, work-queue streams, key-value compare-and-set for leases,
 * and a store that survives a kill. Each test starts its own server on 127.0.0.1.
 */
describe.skipIf(skipWithoutNats)('NATS JetStream as the fleet uses it', () => {
  let server: NatsServer | null = null;
  let nc: NatsConnection | null = null;

  afterEach(async () => {
    await nc?.close();
    nc = null;
    await server?.dispose();
    server = null;
  });

  const open = async (): Promise<NatsConnection> => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, timeout: 5000 });
    return nc;
  };

  it('keeps one message per id, and a durable consumer redelivers what was not acknowledged, after a kill', async () => {
    const connection = await open();
    const jsm = await jetstreamManager(connection);
    await jsm.streams.add({
      name: 'REPORTS',
      subjects: ['canary.reports.>'],
      duplicate_window: nanos(120_000),
    });
    const js = jetstream(connection);
    const first = await js.publish('canary.reports.acct-0001', 'order 1', { msgID: 'bot-1:1' });
    const again = await js.publish('canary.reports.acct-0001', 'order 1', { msgID: 'bot-1:1' });
    await js.publish('canary.reports.acct-0002', 'order 2', { msgID: 'bot-1:2' });
    expect([first.duplicate, again.duplicate, again.seq]).toEqual([false, true, first.seq]);
    expect((await jsm.streams.info('REPORTS')).state.messages).toBe(2);

    await jsm.consumers.add('REPORTS', {
      durable_name: 'controller',
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(1000),
    });
    const consumer = await js.consumers.get('REPORTS', 'controller');
    const one = await consumer.next({ expires: 5000 });
    expect(one?.string()).toBe('order 1');
    one!.ack();
    await connection.flush();
    const two = await consumer.next({ expires: 5000 });
    expect(two?.string()).toBe('order 2'); // not acknowledged: comes again after a kill

    await nc!.close();
    nc = null;
    await server!.kill();
    await server!.restart();
    nc = await connect({ servers: server!.url, timeout: 5000 });
    const after = await jetstream(nc).consumers.get('REPORTS', 'controller');
    const redelivered: string[] = [];
    for await (const m of await after.fetch({ max_messages: 10, expires: 2000 })) {
      redelivered.push(m.string());
      m.ack();
    }
    // Nothing unacknowledged is lost. A consumer's state reaches the disk asynchronously, so an
    // acknowledgement just before a kill may be lost too and that message comes again: the
    // controller must (and does) drop repeats by report id, not trust the stream to.
    expect(redelivered).toContain('order 2');
    expect(redelivered.every((m) => m === 'order 1' || m === 'order 2')).toBe(true);
  }, 30_000);

  it('hands each job of a work queue to one worker', async () => {
    const connection = await open();
    const jsm = await jetstreamManager(connection);
    await jsm.streams.add({
      name: 'JOBS',
      subjects: ['sweep.jobs'],
      retention: RetentionPolicy.Workqueue,
    });
    await jsm.consumers.add('JOBS', { durable_name: 'workers', ack_policy: AckPolicy.Explicit });
    const js = jetstream(connection);
    for (let i = 1; i <= 4; i++) await js.publish('sweep.jobs', `job ${i}`, { msgID: `s:${i}` });
    const taken: string[] = [];
    const consumer = await js.consumers.get('JOBS', 'workers');
    for (let i = 0; i < 4; i++) {
      const job = await consumer.next({ expires: 5000 });
      taken.push(job!.string());
      job!.ack();
    }
    await connection.flush();
    expect(taken).toEqual(['job 1', 'job 2', 'job 3', 'job 4']);
    expect((await jsm.streams.info('JOBS')).state.messages).toBe(0);
  }, 30_000);

  it('gives a lease to one holder: create once, renew by revision, expire by TTL', async () => {
    const connection = await open();
    const kv = await new Kvm(connection).create('leases', { history: 1, ttl: 1500 });
    const held = await kv.create('controller', 'serve-a');
    await expect(kv.create('controller', 'serve-b')).rejects.toThrow();
    const renewed = await kv.update('controller', 'serve-a', held);
    await expect(kv.update('controller', 'serve-b', held)).rejects.toThrow(); // a stale revision
    expect(renewed).toBeGreaterThan(held);
    const deadline = Date.now() + 10_000;
    while ((await kv.get('controller'))?.string() === 'serve-a') {
      if (Date.now() > deadline) throw new Error('the lease did not expire');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await kv.create('controller', 'serve-b'); // taken over once expired
    expect((await kv.get('controller'))?.string()).toBe('serve-b');
  }, 30_000);
});
