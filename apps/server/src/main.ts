import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrateToLatest } from './db/connect.ts';
import { markAbandonedReplies } from './db/conversations.repository.ts';
import { deleteExpiredIdempotencyKeys } from './db/idempotency.repository.ts';
import { formatSetupInstructions, issueSetupToken } from './features/accounts/setup-token.ts';
import { endLapsedReplies } from './features/chat/end-lapsed-replies.ts';
import { formatDemoCurl, seedDemo } from './features/demo/seed-demo.ts';
import { createServices, demoDeps } from './services.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = createServices(config);
  await migrateToLatest(services.database);
  const app = await buildApp(services);
  // Queued sources, and sources a stopped instance left half processed, are ingested in the background.
  services.ingestion.start();

  const seed = config.demo ? await seedDemo(demoDeps(services)) : undefined;
  const address = await app.listen({ port: config.port, host: config.host });
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const baseUrl = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${new URL(address).port}`;

  // Printed to the terminal, not the log: the key exists nowhere else and is shown this once.
  const running = `\nPollyBot is running at ${baseUrl} (API reference: ${baseUrl}/docs)\n`;
  // While no account exists, setup needs a token only the operator sees: this output (or the admin token).
  const setupToken = await issueSetupToken(services);
  const dashboard = setupToken
    ? `${formatSetupInstructions(baseUrl, setupToken)}\n\n`
    : `Dashboard: ${baseUrl}/\n`;
  if (seed) {
    process.stdout.write(
      `${running}${dashboard}` +
        `A demo workspace, chatbot and API key were created. Try it:\n\n${formatDemoCurl(baseUrl, seed)}\n\n` +
        'The API key above is shown only this once; keep it.\n\n',
    );
  } else {
    process.stdout.write(`${running}${dashboard}\n`);
  }

  // Reservations left held by a crashed instance are released once they expire: at start, then regularly.
  // Replies a crashed instance left `generating` end `incomplete` (with the text written so far) once
  // they are as old as a reservation can be. Idempotency keys past their 24 hours are deleted.
  const sweepReservations = () =>
    services.credits
      .releaseExpired()
      .then(async (released) => {
        if (released > 0) services.log.warn({ released }, 'released expired credit reservations');
        const before = new Date(services.clock.now().getTime() - config.reservationTtlMs).toISOString();
        const abandoned = await markAbandonedReplies(services.db, before);
        if (abandoned > 0) services.log.warn({ abandoned }, 'marked replies left generating as incomplete');
        await deleteExpiredIdempotencyKeys(services.db, services.clock.now().toISOString());
      })
      .catch((error: unknown) => services.log.error({ err: error }, 'reservation sweep failed'));
  // Not awaited: the stop signals' handlers below are then in place as soon as the server says it is running.
  void sweepReservations();
  const sweep = setInterval(sweepReservations, Math.min(60_000, Math.ceil(config.reservationTtlMs / 2)));
  sweep.unref();

  // Replies whose instance stopped renewing their lease end `incomplete` within POLLYBOT_REPLY_LEASE_MS plus a
  // quarter of it (5 s at most): every instance looks, through a partial index, so this costs a few rows.
  let isSweepingLeases = false;
  const sweepLapsedReplies = () => {
    if (isSweepingLeases) return;
    isSweepingLeases = true;
    endLapsedReplies({
      database: services.database,
      clock: services.clock,
      ids: services.ids,
      journal: services.replyJournal,
      onJournalError: (messageId, error) =>
        services.log.warn({ messageId, err: { message: String(error) } }, 'could not reach a reply journal'),
    })
      .then((ended) => {
        if (ended > 0) services.log.warn({ ended }, 'ended replies whose instance stopped generating them');
      })
      .catch((error: unknown) => services.log.error({ err: error }, 'reply lease sweep failed'))
      .finally(() => {
        isSweepingLeases = false;
      });
  };
  sweepLapsedReplies();
  const leaseSweep = setInterval(sweepLapsedReplies, Math.max(250, Math.min(5000, config.replyLeaseMs / 4)));
  leaseSweep.unref();

  let stopping = false;
  let skipReadinessDelay = () => {};
  const shutdown = async (signal: string) => {
    // A second signal (Ctrl+C again) stops waiting for the balancer.
    if (stopping) return skipReadinessDelay();
    stopping = true;
    // First the balancer is told (/readyz answers 503) while requests are still served, so it stops sending
    // traffic before the listener closes and its probes never meet a refused connection.
    services.lifecycle.shuttingDown = true;
    services.log.info(
      { signal, readinessDelayMs: config.shutdownReadinessDelayMs },
      'shutting down: readiness answers 503, still serving until the readiness delay ends',
    );
    await new Promise<void>((resolve) => {
      const delay = setTimeout(resolve, config.shutdownReadinessDelayMs);
      skipReadinessDelay = () => {
        clearTimeout(delay);
        resolve();
      };
    });
    services.lifecycle.closing = true;
    services.log.info({ graceMs: config.shutdownGraceMs }, 'shutting down: draining in-flight requests');
    clearInterval(sweep);
    clearInterval(leaseSweep);
    const force = setTimeout(() => {
      services.log.warn('grace period over: closing remaining connections');
      app.server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    try {
      await app.close();
      await services.close();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(
      `PollyBot failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.exit(1);
});
