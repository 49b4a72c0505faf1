package io.vgpuhub.web.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * One URL pattern and method that the running application answers, read from its request mappings: the controllers'
 * and the actuator's (its endpoints are mapped by a handler mapping of the same kind), and a file of each folder of
 * static resources. A mapping for any method is tried as GET and as POST.
 */
record Endpoint(HttpMethod method, String pattern, HandlerMethod handler) {

    /**
     * The resource handlers serve whole folders rather than mapped methods; one file of each stands for its folder.
     * The favicon is asked for by every browser, whether there is one or not.
     */
    private static final List<String> STATIC_FILES = List.of("/css/hub.css", "/js/hub.js",
            "/webjars/htmx.org/dist/htmx.min.js", "/swagger-ui/index.html", "/favicon.ico");

    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([A-Za-z0-9_]+)(?::[^}]*)?}");

    static List<Endpoint> all(ApplicationContext context) {
        Map<String, Endpoint> endpoints = new TreeMap<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
                List<HttpMethod> tried = methods.isEmpty() ? List.of(HttpMethod.GET, HttpMethod.POST)
                        : methods.stream().map(RequestMethod::asHttpMethod).toList();
                for (String pattern : entry.getKey().getPatternValues()) {
                    for (HttpMethod method : tried) {
                        // Several handlers of one pattern and method (by produces, e.g. /error) are one door.
                        endpoints.putIfAbsent(pattern + " " + method, new Endpoint(method, pattern, entry.getValue()));
                    }
                }
            }
        }
        for (String file : STATIC_FILES) {
            endpoints.put(file + " GET", new Endpoint(HttpMethod.GET, file, null));
        }
        return endpoints.values().stream()
                .sorted(Comparator.comparing(Endpoint::pattern).thenComparing(endpoint -> endpoint.method().name()))
                .toList();
    }

    boolean mutates() {
        return !HttpMethod.GET.equals(method);
    }

    /**
     * A request of this endpoint's method to {@code path}. One that changes things carries a CSRF token, so that a
     * refusal is not the missing token's, and one to the API carries {@code apiBody} as JSON.
     */
    MockHttpServletRequestBuilder request(String path, String apiBody) {
        return stateChanging(MockMvcRequestBuilders.request(method, path), apiBody);
    }

    /** As {@link #request(String, String)}, to a path already encoded. */
    MockHttpServletRequestBuilder request(URI path, String apiBody) {
        return stateChanging(MockMvcRequestBuilders.request(method, path), apiBody);
    }

    private MockHttpServletRequestBuilder stateChanging(MockHttpServletRequestBuilder request, String apiBody) {
        if (mutates()) {
            request.with(csrf());
            if (pattern.startsWith("/api/")) {
                request.contentType(MediaType.APPLICATION_JSON).content(apiBody);
            }
        }
        return request;
    }

    /** The path with each variable replaced by {@code value(name, type)}; the type is the handler's parameter's, if any. */
    String expand(VariableValues values) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            matcher.appendReplacement(path, Matcher.quoteReplacement(values.value(this, name, typeOf(name).orElse(null))));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    boolean hasVariables() {
        return VARIABLE.matcher(pattern).find();
    }

    private Optional<Class<?>> typeOf(String variable) {
        if (handler == null) {
            return Optional.empty();
        }
        for (MethodParameter parameter : handler.getMethodParameters()) {
            PathVariable annotation = parameter.getParameterAnnotation(PathVariable.class);
            if (annotation == null) {
                continue;
            }
            String name = !annotation.name().isEmpty() ? annotation.name() : parameter.getParameterName();
            if (variable.equals(name)) {
                return Optional.of(parameter.getParameterType());
            }
        }
        return Optional.empty();
    }

    @FunctionalInterface
    interface VariableValues {
        String value(Endpoint endpoint, String name, Class<?> type);
    }

    @Override
    public String toString() {
        return method + " " + pattern;
    }
}
