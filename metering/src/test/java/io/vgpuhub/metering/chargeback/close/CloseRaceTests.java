package io.vgpuhub.metering.chargeback.close;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.YearMonth;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A close and an adjustment of the same month at the same moment, from two threads: the adjustment either lands in
 * the month (and in its closed statement) or is refused with nothing written, never committed unseen.
 */
@MonthCloseTest
class CloseRaceTests {

    @Autowired
    Adjustments adjustments;

    @Autowired
    MonthClose close;

    @Autowired
    Statements statements;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SettableClock clock;

    CloseFixtures fixtures;

    ExecutorService threads;

    @BeforeEach
    void fixtures() {
        fixtures = new CloseFixtures(jdbc, close, clock);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    @RepeatedTest(6)
    void anAdjustmentRacingTheCloseLandsInTheStatementOrIsRefused() throws Exception {
        YearMonth month = fixtures.freshMonths(1);
        long tenant = fixtures.tenant("Race");
        fixtures.slice(tenant, null, BillingMonths.start(month).plusSeconds(60),
                BillingMonths.start(month).plus(Duration.ofHours(5)));
        fixtures.now(BillingMonths.end(month).plusSeconds(60));
        CountDownLatch go = new CountDownLatch(1);

        CompletableFuture<ClosedMonth> closing = CompletableFuture.supplyAsync(() -> {
            await(go);
            return close.close(month, fixtures.financeUser());
        }, threads);
        CompletableFuture<Adjustment> booking = CompletableFuture.supplyAsync(() -> {
            await(go);
            return adjustments.book(tenant, month, null, new BigDecimal("7.00"), "Racing the close", null,
                    fixtures.financeUser());
        }, threads);
        go.countDown();

        assertThat(closing.get(60, TimeUnit.SECONDS).month()).isEqualTo(month);
        Statement closed = statements.statement(month, tenant);
        try {
            Adjustment booked = booking.get(60, TimeUnit.SECONDS);
            assertThat(closed.adjustments()).extracting(Adjustment::id).containsExactly(booked.id());
            assertThat(closed.adjustmentsTotal()).isEqualByComparingTo("7.00");
        }
        catch (java.util.concurrent.ExecutionException refused) {
            assertThat(refused.getCause()).isInstanceOf(MonthClosedException.class);
            assertThat(fixtures.adjustmentsIn(month)).isZero();
            assertThat(closed.adjustments()).isEmpty();
        }
        assertThat(fixtures.adjustmentsIn(month)).isEqualTo(closed.adjustments().size());
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
