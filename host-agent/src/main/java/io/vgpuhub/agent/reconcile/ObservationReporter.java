package io.vgpuhub.agent.reconcile;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;

import io.vgpuhub.agent.server.Observation;
import io.vgpuhub.agent.server.ServerClient;

/**
 * Sends a reconciler's observations to the server, each only when it changed since the last one sent for its slice,
 * and drops a slice's record only after its ABSENT report went through.
 */
final class ObservationReporter {

    private final ServerClient server;
    private final Consumer<UUID> deleteRecord;
    private final Logger log;
    private final Map<UUID, Observation> reported = new ConcurrentHashMap<>();

    /**
     * @param server where observations go
     * @param deleteRecord drops a slice's record once its ABSENT report went through
     * @param log the reconciler's logger, which warns of every state other than READY
     */
    ObservationReporter(ServerClient server, Consumer<UUID> deleteRecord, Logger log) {
        this.server = server;
        this.deleteRecord = deleteRecord;
        this.log = log;
    }

    /** Whether {@code observation} is what was last sent for the slice. */
    boolean alreadyReported(UUID sliceId, Observation observation) {
        return observation.equals(reported.get(sliceId));
    }

    /** Sends the observation unless it is the one last sent; a state other than READY is logged as a warning. */
    void report(UUID sliceId, Observation observation) {
        if (alreadyReported(sliceId, observation)) {
            return;
        }
        if (!"READY".equals(observation.state())) {
            log.warn("slice {} {}: {}", sliceId, observation.state(), observation.reason());
        }
        server.reportObserved(sliceId, observation);
        reported.put(sliceId, observation);
    }

    /** Reports the slice ABSENT, forgets what was sent for it and then deletes its record. */
    void reportAbsent(UUID sliceId) {
        server.reportObserved(sliceId, Observation.absent());
        reported.remove(sliceId);
        deleteRecord.accept(sliceId);
    }
}
