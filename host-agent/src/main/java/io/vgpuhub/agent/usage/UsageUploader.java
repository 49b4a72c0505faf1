package io.vgpuhub.agent.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vgpuhub.agent.server.ServerClient;
import io.vgpuhub.agent.server.ServerException;
import io.vgpuhub.agent.server.UsageBatch;

/**
 * Uploads the spool's batches in order, one at a time, and marks each done only after the server answered 2xx. A
 * failed upload is retried with exponential backoff (1 s doubling up to {@link #MAX_BACKOFF}) with the same batch id
 * and samples, also after a restart, so the server (which counts a batch id once) never counts a sample twice.
 *
 * <p>No answer, 5xx, 408, 429, 401, 403 and 404 are retried: the server or its token may come back. Any other 4xx
 * means the server refuses the batch's content, which re-sending cannot change: the batch is logged as an error and
 * skipped so it does not block the samples behind it.
 */
public final class UsageUploader implements Runnable {

    public static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(UsageUploader.class);

    private final UsageSpool spool;
    private final ServerClient server;
    private final Duration idleWait;
    private final Clock clock;
    private volatile boolean running = true;
    private volatile Instant lastSuccessfulUpload;

    /** @param idleWait the longest the loop waits for new samples before looking again */
    public UsageUploader(UsageSpool spool, ServerClient server, Duration idleWait) {
        this(spool, server, idleWait, Clock.systemUTC());
    }

    public UsageUploader(UsageSpool spool, ServerClient server, Duration idleWait, Clock clock) {
        this.spool = spool;
        this.server = server;
        this.idleWait = idleWait;
        this.clock = clock;
    }

    /** When the server last accepted (2xx) a batch; empty before the first since this uploader started. */
    public Optional<Instant> lastSuccessfulUpload() {
        return Optional.ofNullable(lastSuccessfulUpload);
    }

    /** Uploads batches until none is left (true) or an upload must be retried later (false). */
    public boolean uploadPending() {
        while (true) {
            Optional<UsageBatch> next = spool.nextBatch();
            if (next.isEmpty()) {
                return true;
            }
            UsageBatch batch = next.get();
            try {
                server.uploadUsage(batch);
                lastSuccessfulUpload = clock.instant();
            }
            catch (ServerException e) {
                if (retryable(e)) {
                    log.info("usage upload of batch {} ({} samples) failed, will retry: {}", batch.batchId(),
                            batch.samples().size(), e.getMessage());
                    return false;
                }
                log.error("server refused usage batch {} ({} samples), skipping it: {}", batch.batchId(),
                        batch.samples().size(), e.getMessage());
            }
            spool.completed(batch.batchId());
        }
    }

    static boolean retryable(ServerException e) {
        return e.retryable() || e.status() == 401 || e.status() == 403 || e.status() == 404;
    }

    /** The backoff after {@code failures} failed attempts in a row (at least 1). */
    static Duration backoff(int failures) {
        int doublings = Math.min(Math.max(0, failures - 1), 16);
        Duration backoff = MIN_BACKOFF.multipliedBy(1L << doublings);
        return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
    }

    /** The upload loop, until {@link #stop()} or an interrupt: uploads, waits for samples or backs off, again. */
    @Override
    public void run() {
        int failures = 0;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                boolean drained;
                try {
                    drained = uploadPending();
                }
                catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    log.warn("usage upload failed: {}", e.toString());
                    drained = false;
                }
                if (drained) {
                    failures = 0;
                    spool.awaitPending(idleWait.toMillis());
                }
                else {
                    failures++;
                    Thread.sleep(backoff(failures).toMillis());
                }
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    public void stop() {
        running = false;
    }
}
