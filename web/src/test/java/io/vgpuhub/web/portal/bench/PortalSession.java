package io.vgpuhub.web.portal.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A signed-in portal user as a browser holds one: the SESSION cookie that Spring Session issued after the form login
 * (with the CSRF token read from the login form), and the form posts the bench needs to set up realistic pages.
 */
final class PortalSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final String username;
    private final String cookie;
    private final URI base;
    private final HttpClient http;

    private PortalSession(String username, String cookie, URI base, HttpClient http) {
        this.username = username;
        this.cookie = cookie;
        this.base = base;
        this.http = http;
    }

    /** Signs in through the login form, as a browser does: GET /login for the CSRF token, POST it with the password. */
    static PortalSession signIn(URI base, String username, String password) throws IOException, InterruptedException {
        CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        String loginForm = http.send(get(base.resolve("/login")), HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> login = http.send(post(base.resolve("/login"), Map.of("username", username, "password",
                password, "_csrf", csrf(loginForm))), HttpResponse.BodyHandlers.ofString());
        String target = login.headers().firstValue("Location").orElse("");
        if (login.statusCode() != 302 || target.contains("error")) {
            throw new IllegalStateException("sign-in of " + username + " failed: " + login.statusCode() + " -> " + target);
        }
        HttpCookie session = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("SESSION"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no SESSION cookie for " + username));
        return new PortalSession(username, "SESSION=" + session.getValue(), base, http);
    }

    /** A GET of a portal page with this session's cookie, as the load sends it. */
    HttpRequest page(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).header("Accept", "text/html")
                .header("Accept-Language", "en").timeout(Duration.ofSeconds(30)).GET().build();
    }

    /** The page's HTML; fails unless it answers 200. */
    String fetch(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(page(path), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " as " + username + ": " + response.statusCode());
        }
        return response.body();
    }

    /**
     * Requests {@code count} slices of the offering whose option text starts with {@code offeringCode} through the
     * request form (its CSRF token included). Returns whether the portal placed them (redirect to My slices); false when
     * it showed the form again, e.g. with "no capacity" before the agent has reported its GPUs.
     */
    boolean requestSlices(String offeringCode, String vmName, int count) throws IOException, InterruptedException {
        String form = fetch("/slices/new");
        Matcher option = Pattern.compile("<option value=\"(\\d+)\"[^>]*>" + Pattern.quote(offeringCode) + " ").matcher(form);
        if (!option.find()) {
            throw new IllegalStateException("no offering " + offeringCode + " on the request form");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("offeringId", option.group(1));
        fields.put("vmName", vmName);
        fields.put("count", String.valueOf(count));
        fields.put("_csrf", csrf(form));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/slices")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(fields))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            return false;
        }
        if (response.statusCode() != 302 || !response.headers().firstValue("Location").orElse("").endsWith("/slices")) {
            throw new IllegalStateException("requesting " + count + " x " + offeringCode + " failed: "
                    + response.statusCode());
        }
        return true;
    }

    private static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token in the form");
        }
        return m.group(1);
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).header("Accept-Language", "en").GET().build();
    }

    private static HttpRequest post(URI uri, Map<String, String> fields) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(fields))).build();
    }

    private static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
