package io.vgpuhub.web.portal.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends requests at a fixed arrival rate (open loop): request i is planned for start + i / rate and sent then, whether
 * or not earlier ones have been answered, and its latency runs from its planned time to its last byte. A server that
 * falls behind therefore shows its queue in the figures instead of slowing the client down and hiding it (coordinated
 * omission). Requests go to the pages in turn, and within a page to its sessions in turn.
 */
final class OpenLoop {

    /** A page under load: its name, and one prepared request per signed-in session. */
    record Page(String name, List<HttpRequest> requests) {
    }

    /** Latencies of some requests, in nanoseconds, with their non-200 answers and mean body size. */
    record Stats(int count, int errors, long p50, long p90, long p99, long max, long meanBytes) {

        static Stats of(long[] latencies, int errors, long bytes) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return new Stats(n, errors, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99), n == 0 ? 0 : sorted[n - 1],
                    n == 0 ? 0 : bytes / n);
        }

        /** Nearest-rank percentile: the smallest latency at least {@code p} of the requests did not exceed. */
        private static long rank(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /**
     * @param wallSeconds   from the first planned start to the last answer
     * @param okPerSecond   200 answers per second of wallSeconds (the throughput achieved)
     * @param maxSendLagMs  how late the client sent its most delayed request (its own scheduling, not the server's)
     * @param errorKinds    non-200 answers by status, and failures by exception
     */
    record Result(int rate, Map<String, Stats> byPage, Stats overall, double wallSeconds, double okPerSecond,
            double maxSendLagMs, Map<String, Long> errorKinds) {
    }

    private final HttpClient http;
    private final List<Page> pages;

    OpenLoop(HttpClient http, List<Page> pages) {
        this.http = http;
        this.pages = pages;
    }

    Result run(int rate, Duration duration) throws Exception {
        int n = (int) (rate * duration.toSeconds());
        long[] latency = new long[n];
        int[] status = new int[n];
        long[] bytes = new long[n];
        Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        CompletableFuture<?>[] answers = new CompletableFuture<?>[n];
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long maxLag = 0;
        for (int i = 0; i < n; i++) {
            long planned = start + Math.round(i * 1e9 / rate);
            long now;
            while ((now = System.nanoTime()) < planned) {
                LockSupport.parkNanos(planned - now);
            }
            maxLag = Math.max(maxLag, now - planned);
            int k = i;
            answers[i] = http.sendAsync(request(i), HttpResponse.BodyHandlers.ofByteArray()).handle((response, failure) -> {
                latency[k] = System.nanoTime() - planned;
                if (response != null) {
                    status[k] = response.statusCode();
                    bytes[k] = response.body().length;
                    if (status[k] != 200) {
                        errorKinds.computeIfAbsent("HTTP " + status[k], s -> new LongAdder()).increment();
                    }
                }
                else {
                    errorKinds.computeIfAbsent(describe(rootCause(failure)), s -> new LongAdder()).increment();
                }
                return null;
            });
        }
        CompletableFuture.allOf(answers).get(2, TimeUnit.MINUTES);
        return result(rate, latency, status, bytes, maxLag, errorKinds);
    }

    private HttpRequest request(int i) {
        Page page = pages.get(i % pages.size());
        return page.requests().get((i / pages.size()) % page.requests().size());
    }

    private Result result(int rate, long[] latency, int[] status, long[] bytes, long maxLag,
            Map<String, LongAdder> errorKinds) {
        int n = latency.length;
        long lastAnswer = 0;
        int ok = 0;
        long allBytes = 0;
        for (int i = 0; i < n; i++) {
            lastAnswer = Math.max(lastAnswer, Math.round(i * 1e9 / rate) + latency[i]);
            ok += status[i] == 200 ? 1 : 0;
            allBytes += bytes[i];
        }
        Map<String, Stats> byPage = new LinkedHashMap<>();
        for (int p = 0; p < pages.size(); p++) {
            int count = (n - p + pages.size() - 1) / pages.size();
            long[] pageLatency = new long[count];
            int errors = 0;
            long pageBytes = 0;
            for (int j = 0, i = p; i < n; i += pages.size(), j++) {
                pageLatency[j] = latency[i];
                errors += status[i] == 200 ? 0 : 1;
                pageBytes += bytes[i];
            }
            byPage.put(pages.get(p).name(), Stats.of(pageLatency, errors, pageBytes));
        }
        Map<String, Long> kinds = new TreeMap<>();
        errorKinds.forEach((kind, count) -> kinds.put(kind, count.sum()));
        double wallSeconds = lastAnswer / 1e9;
        return new Result(rate, byPage, Stats.of(latency, n - ok, allBytes), wallSeconds, ok / wallSeconds, maxLag / 1e6,
                kinds);
    }

    /** The exception's class and the start of its message, enough to tell a timeout from a closed connection. */
    private static String describe(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        return failure.getClass().getSimpleName() + ": " + (message.length() > 60 ? message.substring(0, 60) : message);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
