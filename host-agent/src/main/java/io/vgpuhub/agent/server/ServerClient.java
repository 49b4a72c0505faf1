package io.vgpuhub.agent.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Client side of the agent API ({@code /api/agent/v1}), authenticated with the host's bearer token. */
public final class ServerClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Consumer<Observation> observed;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public ServerClient(URI serverUrl, String token) {
        this(serverUrl, token, observation -> { });
    }

    /** @param observed told of every observation the server accepted (the agent's metrics count the FAILED ones) */
    public ServerClient(URI serverUrl, String token, Consumer<Observation> observed) {
        this.observed = observed;
        String url = serverUrl.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public void putInventory(Inventory inventory) {
        send("PUT", "api/agent/v1/inventory", inventory, REQUEST_TIMEOUT);
    }

    /** Long-poll: the server answers when the generation is newer than {@code after}, or after about {@code wait}. */
    public DesiredState desiredState(long after, Duration wait) {
        long waitSeconds = Math.max(0, wait.toSeconds());
        // The server's generations start at 1, so "after 0" asks for whatever is current (the agent starts at -1).
        long afterGeneration = Math.max(0, after);
        String body = send("GET", "api/agent/v1/desired-state?after=" + afterGeneration + "&waitSeconds=" + waitSeconds, null,
                wait.plus(REQUEST_TIMEOUT));
        try {
            return json.readValue(body, DesiredState.class);
        }
        catch (JacksonException e) {
            throw new ServerException(200, "desired-state answer is not the expected JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code POST /api/agent/v1/heartbeat}: the host is alive, whether or not anything changed. */
    public void heartbeat(String agentVersion) {
        send("POST", "api/agent/v1/heartbeat", java.util.Map.of("agentVersion", agentVersion), REQUEST_TIMEOUT);
    }

    public void reportObserved(UUID sliceId, Observation observation) {
        send("POST", "api/agent/v1/slices/" + sliceId + "/observed", observation.body(), REQUEST_TIMEOUT);
        observed.accept(observation);
    }

    public void uploadUsage(UsageBatch batch) {
        send("POST", "api/agent/v1/usage", batch, REQUEST_TIMEOUT);
    }

    private String send(String method, String path, Object body, Duration timeout) {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, application/problem+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new ServerException(0, method + " " + uri + " failed: " + e, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(0, method + " " + uri + " interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw new ServerException(status, method + " " + uri.getPath() + " answered " + status + ": " + detail(response.body()), null);
        }
        return response.body();
    }

    /** RFC 9457 problem details: {@code detail}, else {@code title}, else the raw body. */
    private String detail(String body) {
        try {
            JsonNode problem = json.readTree(body);
            for (String field : new String[] { "detail", "title" }) {
                JsonNode value = problem.get(field);
                if (value != null && value.isString() && !value.asString().isBlank()) {
                    return value.asString();
                }
            }
        }
        catch (JacksonException notJson) {
            // fall through to the raw body
        }
        return body == null || body.isBlank() ? "(no body)" : body.strip();
    }
}
