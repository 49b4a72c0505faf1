package io.vgpuhub.agent.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's local HTTP endpoint: {@code GET /metrics} (Prometheus text, or OpenMetrics when asked) and
 * {@code GET /health} (JSON; 200 when UP, 503 when DOWN). Anything else is 404. It listens on a local address by
 * default: it needs no authentication because it tells nothing a host's root does not already see, and changes nothing.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HTTPServer server;
    private final String address;

    private MetricsEndpoint(HTTPServer server, String address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Starts listening on {@code address:port} (port 1..65535).
     *
     * @throws IllegalStateException naming the address and port when it cannot listen there (port in use, unknown address)
     */
    public static MetricsEndpoint start(String address, int port, AgentMetrics metrics) {
        String where = address + ":" + port;
        JsonMapper json = JsonMapper.builder().build();
        try {
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(InetAddress.getByName(address))
                    .port(port)
                    .registry(metrics.registry())
                    .registerHealthHandler(false)
                    .defaultHandler(exchange -> health(exchange, metrics, json))
                    .buildAndStart();
            log.info("metrics on http://{}/metrics, health on http://{}/health", where, where);
            return new MetricsEndpoint(server, where);
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException("cannot serve metrics on " + where + ": unknown address " + address, e);
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + where + " (" + e.getMessage() + "): is port "
                    + port + " in use? Choose another --metrics-port, or 0 to turn the endpoint off", e);
        }
    }

    /** Serves {@code /health}; the default handler also sees every path no other context took, which get 404. */
    private static void health(HttpExchange exchange, AgentMetrics metrics, JsonMapper json) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!"/health".equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics or /health\n", method);
            }
            else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n", method);
            }
            else {
                AgentMetrics.Health health = metrics.health();
                send(exchange, health.up() ? 200 : 503, "application/json", json.writeValueAsString(body(health)), method);
            }
        }
    }

    /** The health JSON; times are ISO-8601 strings, and what has not happened yet is null. */
    static Map<String, Object> body(AgentMetrics.Health health) {
        Map<String, Object> details = new LinkedHashMap<>();
        AgentMetrics.Pass pass = health.lastPass();
        details.put("lastReconcileAt", text(pass == null ? null : pass.at()));
        details.put("lastReconcileOutcome", pass == null ? null : pass.outcome().name());
        details.put("lastReconcileError", pass == null ? null : pass.error());
        details.put("lastSuccessfulReconcileAt", text(health.lastSuccessfulPassAt()));
        details.put("lastSuccessfulUploadAt", text(health.lastSuccessfulUploadAt()));
        details.put("spoolSamples", health.spoolSamples());
        AgentMetrics.ServerContact server = health.server();
        details.put("serverReachable", server == null ? null : server.reachable());
        details.put("serverCheckedAt", text(server == null ? null : server.at()));
        details.put("serverError", server == null ? null : server.error());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", health.up() ? "UP" : "DOWN");
        if (health.reason() != null) {
            body.put("reason", health.reason());
        }
        body.put("checkedAt", text(health.checkedAt()));
        body.put("details", details);
        return body;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body, String method)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(method)) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Where it listens, as {@code address:port}. */
    public String address() {
        return address;
    }

    /** Stops listening and releases the port. */
    @Override
    public void close() {
        server.close();
        log.info("metrics endpoint on {} stopped", address);
    }
}
