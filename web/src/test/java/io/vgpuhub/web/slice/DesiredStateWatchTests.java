package io.vgpuhub.web.slice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The in-process half of the long-poll: a waiting poll is woken by a change and, when the server stops, at once. */
class DesiredStateWatchTests {

    private final DesiredStateWatch watch = new DesiredStateWatch(null);

    @Test
    void aStopWakesEveryWaitingPollAtOnceAndLaterPollsDoNotWait() throws Exception {
        CompletableFuture<Boolean> first = waiting(1L);
        CompletableFuture<Boolean> second = waiting(2L);
        Thread.sleep(200);
        assertThat(first).isNotDone();

        watch.stop();

        // each waits 30 s unless woken: answering within a second proves the stop woke them
        assertThat(first.get(1, TimeUnit.SECONDS)).as("keep waiting?").isFalse();
        assertThat(second.get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(watch.await(3L, Duration.ofSeconds(30))).isFalse();
        assertThat(watch.isRunning()).isFalse();
    }

    @Test
    void aChangeWakesThatHostsPollOnlyAndItMayWaitAgain() throws Exception {
        CompletableFuture<Boolean> changed = waiting(1L);
        CompletableFuture<Boolean> other = waiting(2L);
        Thread.sleep(200);

        watch.wake(1L);

        assertThat(changed.get(1, TimeUnit.SECONDS)).isTrue();
        assertThat(other).isNotDone();
        watch.stop();
    }

    @Test
    void pollsWaitWhileTheServerIsStillStarting() throws Exception {
        assertThat(watch.isRunning()).as("running before the context calls start()").isTrue();
        CompletableFuture<Boolean> poll = waiting(1L);
        Thread.sleep(300);
        assertThat(poll).as("not answered at once").isNotDone();
        watch.stop();
    }

    private CompletableFuture<Boolean> waiting(long hostId) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return watch.await(hostId, Duration.ofSeconds(30));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, task -> new Thread(task, "poll-" + hostId).start());
    }
}
