import { Command, Option } from 'commander';
import type { FeedFormat, FeedServerEvent } from '../../../feeds/index.js';
import { binanceStreamUrl, FEED_FORMATS, serveFeed } from '../../../feeds/index.js';
import type { CliIo } from '../cli-io.js';
import { parseInteger, parseNumberInRange } from '../parse-option.js';

interface ServeFeedCliOptions {
  readonly port: string;
  readonly host: string;
  readonly speed: string;
  readonly format?: FeedFormat;
  readonly symbol?: string;
  readonly onBadLine: 'fail' | 'skip';
  readonly loop?: boolean;
  readonly maxClients?: string;
}

/**
 * `strategy-canary serve-feed <file>... --port P [--speed 1|10|max]`: replays capture files over a
 * local websocket in Binance's wire format until Ctrl-C (SIGINT) or SIGTERM, or until
 * `--max-clients` clients have been served (how tests and scripts stop it).
 */
export function serveFeedCommand(io: CliIo): Command {
  return new Command('serve-feed')
    .description(
      "Replay market-data files over a local websocket in Binance's wire format (combined /stream?streams=… or raw /ws/<stream>), so live mode runs end to end on real data.",
    )
    .argument('<feed-file...>', 'market data files (several replay merged by event time)')
    .option('--port <port>', 'TCP port; 0 picks a free one (printed)', '0')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--speed <x>',
      'event-time pace: 1 real time, 10 ten times faster, max as fast as the client reads',
      '1',
    )
    .addOption(
      new Option('--format <format>', 'feed format (default: detected from content)').choices(
        FEED_FORMATS,
      ),
    )
    .option(
      '--symbol <symbol>',
      'symbol for feeds without one (Binance CSV whose file name does not tell)',
    )
    .addOption(
      new Option('--on-bad-line <policy>', 'stop at the first bad line, or skip and count them')
        .choices(['fail', 'skip'])
        .default('fail'),
    )
    .option('--loop', 'replay the files again from the start when they end')
    .option(
      '--max-clients <n>',
      'serve this many clients, refuse more, and exit once their replays are done',
    )
    .action(async (files: string[], o: ServeFeedCliOptions) => {
      const port = parseInteger('--port', o.port, 0, 65535);
      const speed = o.speed === 'max' ? 'max' : parseNumberInRange('--speed', o.speed, 0.001, 1e6);
      const maxClients =
        o.maxClients === undefined
          ? undefined
          : parseInteger('--max-clients', o.maxClients, 1, 1_000_000);
      let failure = null as Error | null; // set by onEvent
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      let clients = 0;
      const server = await serveFeed({
        files,
        port,
        host: o.host,
        speed,
        loop: o.loop === true,
        ...(maxClients === undefined ? {} : { maxClients }),
        feedOptions: {
          onBadLine: o.onBadLine,
          ...(o.format === undefined ? {} : { format: o.format }),
          ...(o.symbol === undefined ? {} : { symbol: o.symbol }),
        },
        onEvent: (event) => {
          if (event.type === 'connected') clients++;
          if (event.type === 'failed') {
            // Reported once, as the command's error (exit 2 for bad input).
            failure = event.error;
            stop();
          } else {
            io.stdout.write(`${describeEvent(event)}\n`);
          }
        },
      });
      const onSignal = (): void => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const pace =
          speed === 'max' ? 'as fast as clients read' : speed === 1 ? 'real time' : `${speed}×`;
        const [first] = server.streams;
        io.stdout.write(
          [
            `serving ${files.length === 1 ? files[0] : `${files.length} files`} at ${pace} on ${server.url}`,
            `  combined: ${binanceStreamUrl(server.url, server.streams)}`,
            ...(first === undefined ? [] : [`  raw:      ${server.url}/ws/${first}`]),
            maxClients === undefined
              ? 'Ctrl-C stops.'
              : `exits once ${maxClients} client${maxClients === 1 ? ' has' : 's have'} been served (or Ctrl-C).`,
            '',
          ].join('\n'),
        );
        await Promise.race([server.done, stopped]);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await server.close();
      }
      if (failure !== null) throw failure;
      io.stdout.write(`stopped: ${clients} client${clients === 1 ? '' : 's'} served\n`);
    });
}

function describeEvent(event: Exclude<FeedServerEvent, { type: 'failed' }>): string {
  switch (event.type) {
    case 'connected':
      return `client ${event.client} connected: ${event.path}`;
    case 'rejected':
      return `refused a connection on ${event.path}: ${event.reason}`;
    case 'replayed':
      return `client ${event.client}: replay${event.round > 1 ? ` ${event.round}` : ''} done, ${event.events.toLocaleString('en-US')} events as ${event.messages.toLocaleString('en-US')} messages in ${(event.elapsedMs / 1000).toFixed(1)} s${event.badLines > 0 ? `; ${event.badLines.toLocaleString('en-US')} bad line${event.badLines === 1 ? '' : 's'} skipped` : ''}`;
    case 'disconnected':
      return `client ${event.client} disconnected (${event.messages.toLocaleString('en-US')} messages sent)`;
  }
}
