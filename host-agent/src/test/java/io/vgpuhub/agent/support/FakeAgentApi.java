package io.vgpuhub.agent.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.vgpuhub.agent.AgentSettings;

/** A real HTTP server that speaks the server side of the agent API contract and records what it received. */
public final class FakeAgentApi implements AutoCloseable {

    public static final String TOKEN = "host-token-1";

    private static final Pattern OBSERVED = Pattern.compile("^/api/agent/v1/slices/([^/]+)/observed$");

    public record Received(String method, String path, String authorization, JsonNode body) {
    }

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger usageFailuresLeft = new AtomicInteger();
    private final AtomicInteger usageRefusalsLeft = new AtomicInteger();
    private final AtomicInteger observationFailuresLeft = new AtomicInteger();
    private long generation;
    private List<Map<String, Object>> slices = List.of();
    private List<Map<String, Object>> gpus = List.of();

    public FakeAgentApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-agent-api");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Settings for an agent that talks to this server from the simulated host {@code host} describes (see
     * {@link SimulatedHosts}), with its host file in {@code dir} and its state in {@code <dir>/state}.
     */
    public AgentSettings simulatedAgent(Path dir, String host) {
        return AgentSettings.simulated(url(), TOKEN, dir.resolve("state"), SimulatedHosts.hostFile(dir, host));
    }

    /** Publishes a new desired state (the next generation) and wakes waiting long-polls. */
    public synchronized void desire(List<Map<String, Object>> desiredSlices) {
        desire(desiredSlices, List.of());
    }

    /** Publishes desired slices and the operator's mode per GPU ({@link #gpuMode}). */
    public synchronized void desire(List<Map<String, Object>> desiredSlices, List<Map<String, Object>> gpuModes) {
        slices = List.copyOf(desiredSlices);
        gpus = List.copyOf(gpuModes);
        generation++;
        notifyAll();
    }

    public static Map<String, Object> gpuMode(String gpu, String mode) {
        return Map.of("pciAddress", gpu, "mode", mode);
    }

    public static Map<String, Object> migSlice(String sliceId, String gpu, String profile, int start, int size) {
        return Map.of("sliceId", sliceId, "kind", "MIG", "gpuPciAddress", gpu, "migProfile", profile, "migStartSlot", start,
                "migSize", size);
    }

    public static Map<String, Object> passthroughSlice(String sliceId, String gpu) {
        return Map.of("sliceId", sliceId, "kind", "PASSTHROUGH", "gpuPciAddress", gpu);
    }

    public static Map<String, Object> vgpuSlice(String sliceId, String gpu, String vf, String vgpuType) {
        return Map.of("sliceId", sliceId, "kind", "VGPU", "gpuPciAddress", gpu, "vfPciAddress", vf, "vgpuType", vgpuType);
    }

    /** The next {@code count} usage uploads answer 503. */
    public void failUsageUploads(int count) {
        usageFailuresLeft.set(count);
    }

    /** The next {@code count} slice observations answer 503, which makes the agent's reconcile pass fail. */
    public void failObservations(int count) {
        observationFailuresLeft.set(count);
    }

    /** The next {@code count} usage uploads answer 422, as the server does for a batch whose content it refuses. */
    public void refuseUsageUploads(int count) {
        usageRefusalsLeft.set(count);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(String method, String pathPrefix) {
        List<Received> matching = new ArrayList<>();
        for (Received r : received) {
            if (r.method().equals(method) && r.path().startsWith(pathPrefix)) {
                matching.add(r);
            }
        }
        return matching;
    }

    /** Observations as "sliceId STATE", in arrival order. */
    public List<String> observations() {
        List<String> observations = new ArrayList<>();
        for (Received r : received("POST", "/api/agent/v1/slices/")) {
            Matcher m = OBSERVED.matcher(r.path());
            if (m.matches()) {
                observations.add(m.group(1) + " " + r.body().get("state").asString());
            }
        }
        return observations;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body = text.isEmpty() ? null : json.readTree(text);
            received.add(new Received(method, path + (exchange.getRequestURI().getQuery() != null ? "?" + exchange.getRequestURI().getQuery() : ""), auth, body));
            if (!("Bearer " + TOKEN).equals(auth)) {
                problem(exchange, 401, "Unauthorized", "unknown host token");
            }
            else if (method.equals("PUT") && path.equals("/api/agent/v1/inventory")) {
                exchange.sendResponseHeaders(204, -1);
            }
            else if (method.equals("GET") && path.equals("/api/agent/v1/desired-state")) {
                desiredState(exchange);
            }
            else if (method.equals("POST") && OBSERVED.matcher(path).matches()) {
                if (observationFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    problem(exchange, 503, "Service Unavailable", "the database is restarting");
                }
                else {
                    exchange.sendResponseHeaders(204, -1);
                }
            }
            else if (method.equals("POST") && path.equals("/api/agent/v1/heartbeat")) {
                exchange.sendResponseHeaders(204, -1);
            }
            else if (method.equals("POST") && path.equals("/api/agent/v1/usage")) {
                if (usageFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    problem(exchange, 503, "Service Unavailable", "metering is restarting");
                }
                else if (usageRefusalsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    problem(exchange, 422, "Unknown slice", "No slices on this host; nothing of the batch was stored");
                }
                else {
                    exchange.sendResponseHeaders(204, -1);
                }
            }
            else {
                problem(exchange, 404, "Not Found", "no route for " + method + " " + path);
            }
        }
    }

    private void desiredState(HttpExchange exchange) throws IOException {
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : exchange.getRequestURI().getQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv[1]);
        }
        long after = Long.parseLong(query.get("after"));
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(query.get("waitSeconds"))).toNanos();
        String answer;
        synchronized (this) {
            while (generation <= after && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            // "extra" is a field the agent does not know: it must be ignored, as the contract says
            answer = json.writeValueAsString(Map.of("generation", generation, "slices", slices, "gpus", gpus,
                    "extra", Map.of("future", true)));
        }
        send(exchange, 200, "application/json", answer);
    }

    private void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        send(exchange, status, "application/problem+json",
                json.writeValueAsString(Map.of("type", "about:blank", "title", title, "status", status, "detail", detail)));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
