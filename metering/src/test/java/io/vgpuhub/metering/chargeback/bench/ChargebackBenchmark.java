package io.vgpuhub.metering.chargeback.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import io.vgpuhub.metering.MeteringConfiguration;
import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.ChargebackCalculator;
import io.vgpuhub.metering.chargeback.MonthCharges;
import io.vgpuhub.metering.chargeback.RateSchedules;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * On-demand bench harness (not a test): computing one month's chargeback for 1,000 tenants and 20,000 slices, with
 * the month's hourly usage rows and seat leases, in an embedded PostgreSQL. Times ChargebackCalculator.compute for
 * all tenants and Statements.statements(month) (the same plus adjustments, per tenant); warm-up runs, then measured
 * runs, median reported. Commands and results are in BENCHMARKS.md.
 */
public final class ChargebackBenchmark {

    /** A month long ended, so statements are computed live as an OPEN month's are. */
    static final YearMonth MONTH = YearMonth.of(2025, 3);

    private ChargebackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tenants = Integer.getInteger("bench.tenants", 1000);
        int slices = Integer.getInteger("bench.slices", 20_000);
        int warmUps = Integer.getInteger("bench.warmUps", 2);
        int runs = Integer.getInteger("bench.runs", 5);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BenchApplication.class)
                .web(WebApplicationType.NONE)
                .properties("vgpuhub.db.embedded.data-dir=", "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run()) {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            System.out.printf("machine: %d CPUs, Java %s, load average %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), loadAverage());
            long generating = System.nanoTime();
            BenchData.generate(jdbc, MONTH, tenants, slices);
            System.out.printf("generated %d tenants, %d slices, %,d usage_hourly rows, %,d leases in %.1f s%n",
                    count(jdbc, "tenant"), count(jdbc, "slice"), count(jdbc, "usage_hourly"), count(jdbc, "license_lease"),
                    (System.nanoTime() - generating) / 1e9);

            ChargebackCalculator calculator = app.getBean(ChargebackCalculator.class);
            RateSchedules schedules = app.getBean(RateSchedules.class);
            Statements statements = app.getBean(Statements.class);
            Instant end = BillingMonths.end(MONTH);
            time("ChargebackCalculator.compute(month, end, current, all tenants)", warmUps, runs, () -> {
                MonthCharges charges = calculator.compute(MONTH, end, schedules.current(), null);
                return charges.tenants().size() + " tenants, "
                        + charges.tenants().stream().mapToInt(t -> t.lines().size()).sum() + " lines";
            });
            time("Statements.statements(month)", warmUps, runs, () -> {
                List<Statement> all = statements.statements(MONTH);
                return all.size() + " statements, total " + all.stream().map(Statement::total)
                        .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add) + " " + all.get(0).currency();
            });
        }
    }

    private static void time(String what, int warmUps, int runs, Supplier<String> work) {
        String result = null;
        for (int i = 0; i < warmUps; i++) {
            result = work.get();
        }
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            result = work.get();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        System.out.printf("%s: median %.2f s (min %.2f, max %.2f; runs %s) -> %s%n", what, sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1),
                seconds.stream().map(s -> String.format("%.2f", s)).toList(), result);
    }

    private static long count(JdbcClient jdbc, String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        }
        catch (Exception unreadable) {
            return "unknown";
        }
    }

    /** Metering alone over a fresh embedded PostgreSQL; not a @Configuration, so no component scan picks it up. */
    @EnableAutoConfiguration
    @org.springframework.context.annotation.Import(MeteringConfiguration.class)
    static final class BenchApplication {
    }
}
