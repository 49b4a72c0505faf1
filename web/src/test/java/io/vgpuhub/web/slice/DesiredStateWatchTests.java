package io.vgpuhub.web.slice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The in-process half of the long-poll: a waiting poll is woken by a change and, when the server stops, at once. */
class DesiredStateWatchTests {

    private final DesiredStateWatch watch = new DesiredStateWatch(null);

    @Test
    void aStopWakesEveryWaitingPollAtOnceAndLaterPollsDoNotWait() throws Exception {
        Poll first = poll(1L);
        Poll second = poll(2L);

        watch.stop();

        // each waits 30 s unless woken: answering within seconds proves the stop woke them
        assertThat(first.answer.get(5, TimeUnit.SECONDS)).as("keep waiting?").isFalse();
        assertThat(second.answer.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(watch.await(3L, Duration.ofSeconds(30))).isFalse();
        assertThat(watch.isRunning()).isFalse();
    }

    @Test
    void aChangeWakesThatHostsPollOnlyAndItMayWaitAgain() throws Exception {
        Poll changed = poll(1L);
        Poll other = poll(2L);

        watch.wake(1L);

        assertThat(changed.answer.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(other.answer).isNotDone();
        watch.stop();
        assertThat(other.answer.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void pollsWaitWhileTheServerIsStillStarting() throws Exception {
        assertThat(watch.isRunning()).as("running before the context calls start()").isTrue();
        Poll poll = poll(1L);
        assertThat(poll.answer).as("parked, not answered at once").isNotDone();
        watch.stop();
    }

    private record Poll(Thread thread, CompletableFuture<Boolean> answer) {
    }

    /** Starts a poll of 30 s and returns once it is parked in its wait, so a wake cannot come before it. */
    private Poll poll(long hostId) throws InterruptedException {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                answer.complete(watch.await(hostId, Duration.ofSeconds(30)));
            }
            catch (InterruptedException e) {
                answer.completeExceptionally(e);
            }
        }, "poll-" + hostId);
        thread.start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (thread.getState() != Thread.State.TIMED_WAITING && Instant.now().isBefore(deadline)) {
            Thread.sleep(5);
        }
        assertThat(thread.getState()).as("the poll is parked").isEqualTo(Thread.State.TIMED_WAITING);
        return new Poll(thread, answer);
    }
}
