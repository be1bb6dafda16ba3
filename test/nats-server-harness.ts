import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where nats-server is: `NATS_SERVER`, else on the PATH, else Debian's `/usr/sbin/nats-server`
 * (the package `.ci/run` installs); null when none answers `--version`.
 */
export function natsServerBinary(): string | null {
  for (const candidate of [process.env['NATS_SERVER'], 'nats-server', '/usr/sbin/nats-server']) {
    if (candidate === undefined || candidate === '') continue;
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 5000 });
    if (probe.status === 0 && probe.stdout.includes('nats-server')) return candidate;
  }
  return null;
}

/**
 * Whether the NATS tests skip: nats-server is missing and this is not CI (with `CI` set they
 * fail instead, as the other tool-dependent tests do: `.ci/run` installs it).
 */
export const skipWithoutNats =
  natsServerBinary() === null && ['', '0', 'false'].includes(process.env['CI'] ?? '');

/** How long a start may take before the test fails, ms. */
const START_TIMEOUT_MS = 10_000;

/** A nats-server with JetStream for one test, on 127.0.0.1 and a temporary store. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and keeps its store. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL), as a crash would; the store stays. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Stops it and removes its store. */
  dispose(): Promise<void>;
}

/**
 * Starts nats-server with JetStream on 127.0.0.1 (a free port, or `port`) and a fresh store in a
 * temporary directory; resolves once it listens (it says so on stderr), within 10 s.
 */
export async function startNatsServer(port = 0): Promise<NatsServer> {
  const binary = natsServerBinary();
  if (binary === null) throw new Error('nats-server not found (apt-get install nats-server)');
  const storeDir = mkdtempSync(join(tmpdir(), 'nats-store-'));
  let child: ChildProcess | null = null;
  let boundPort = port;

  const launch = async (): Promise<void> => {
    const process_ = spawn(
      binary,
      ['-a', '127.0.0.1', '-p', String(boundPort === 0 ? -1 : boundPort), '-js', '-sd', storeDir],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = process_;
    boundPort = await new Promise<number>((resolve, reject) => {
      let log = '';
      const timer = setTimeout(() => {
        process_.kill('SIGKILL');
        reject(new Error(`nats-server did not start in ${START_TIMEOUT_MS} ms:\n${log}`));
      }, START_TIMEOUT_MS);
      process_.stderr.setEncoding('utf8');
      process_.stderr.on('data', (chunk: string) => {
        log += chunk;
        const listening = /Listening for client connections on [\d.]+:(\d+)/u.exec(log);
        if (listening !== null && /Server is ready/u.test(log)) {
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      });
      process_.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code}) before it listened:\n${log}`));
      });
    });
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
      running.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      running.kill(signal);
    });
  };

  await launch();
  return {
    get url() {
      return `nats://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    storeDir,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGTERM');
      await launch();
    },
    dispose: async () => {
      await end('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
