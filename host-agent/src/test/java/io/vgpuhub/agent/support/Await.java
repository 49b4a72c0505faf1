package io.vgpuhub.agent.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** Waits, polling every 20 ms, for what a running agent does in its own threads. */
public final class Await {

    private Await() {
    }

    /** Waits up to 10 s for the condition; fails the test if it is not met by then. */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        await(Duration.ofSeconds(10), condition);
    }

    public static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        poll(timeout, condition::getAsBoolean);
    }

    /** {@link #await(BooleanSupplier)} for a condition that throws (an HTTP scrape); its exception fails the test. */
    public static void awaitChecked(Callable<Boolean> condition) throws Exception {
        awaitChecked(Duration.ofSeconds(10), condition);
    }

    public static void awaitChecked(Duration timeout, Callable<Boolean> condition) throws Exception {
        poll(timeout, condition::call);
    }

    private interface Condition<E extends Exception> {
        boolean met() throws E;
    }

    private static <E extends Exception> void poll(Duration timeout, Condition<E> condition) throws E, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }
}
