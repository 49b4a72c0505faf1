package io.vgpuhub.web.portal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * What the machine did while a rate ran: CPU time of the server JVM, of its PostgreSQL processes, of this client and of
 * everything else (from /proc/stat), so a figure taken while other work shared the cores says so.
 */
final class Machine {

    /** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100;

    private Machine() {
    }

    record Sample(long nanos, Duration server, Duration postgres, Duration client, double machineBusySeconds) {
    }

    static Sample sample(BenchServer server) {
        return new Sample(System.nanoTime(), server.serverCpu(), server.postgresCpu(),
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO), machineBusySeconds());
    }

    static PortalLoadBenchmark.Usage usage(Sample before, Sample after, BenchServer server) {
        double wall = (after.nanos() - before.nanos()) / 1e9;
        double serverCores = seconds(after.server().minus(before.server())) / wall;
        double postgresCores = seconds(after.postgres().minus(before.postgres())) / wall;
        double clientCores = seconds(after.client().minus(before.client())) / wall;
        double busyCores = (after.machineBusySeconds() - before.machineBusySeconds()) / wall;
        return new PortalLoadBenchmark.Usage(serverCores, postgresCores, clientCores,
                Math.max(0, busyCores - serverCores - postgresCores - clientCores), server.serverRssMib(),
                server.postgresPssMib(), loadAverage());
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        }
        catch (IOException e) {
            return "unknown";
        }
    }

    /** CPU seconds all cores spent on anything but idle, I/O wait and steal since boot (the first line of /proc/stat). */
    private static double machineBusySeconds() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < fields.length && i <= 7; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
