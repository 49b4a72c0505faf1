package io.vgpuhub.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The portal's Content-Security-Policy (SecurityConfiguration.PORTAL_CSP) blocks inline scripts, event handler
 * attributes, javascript: URLs, style attributes and style elements. A template that used one would break silently in
 * the browser (the page still renders, the script or style just does not apply), so every template is checked here.
 */
class TemplateCspTests {

    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORBIDDEN = Pattern.compile(
            // on*= handlers (also th:onclick and the like), style attributes (also th:style, th:attr="style=..."),
            // <style> elements, javascript: URLs and htmx's hx-on (which evaluates code).
            "(?<![\\w-])(?:th:)?on[a-z]+\\s*=|(?<![\\w-])(?:th:)?style\\s*=|[\"',\\s]style\\s*=|<style\\b|javascript:"
                    + "|hx-on",
            Pattern.CASE_INSENSITIVE);

    @Test
    void noTemplateUsesWhatThePolicyBlocks() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<Path, String> templates = Templates.withoutComments();
        assertThat(templates).hasSizeGreaterThan(20);
        for (Map.Entry<Path, String> entry : templates.entrySet()) {
            Path template = entry.getKey();
            String text = entry.getValue();
            Matcher script = SCRIPT.matcher(text);
            while (script.find()) {
                String attributes = script.group(1);
                boolean external = attributes.matches("(?s).*\\b(?:th:)?src\\s*=.*");
                boolean data = attributes.matches("(?s).*\\btype\\s*=\\s*[\"']application/json[\"'].*");
                if (!external && !data) {
                    problems.add(template + ": inline script " + script.group());
                }
            }
            Matcher forbidden = FORBIDDEN.matcher(text);
            while (forbidden.find()) {
                problems.add(template + ": " + excerpt(text, forbidden.start()));
            }
        }
        assertThat(problems).as("move scripts to static/js and styles to static/css").isEmpty();
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        assertThat(FORBIDDEN.matcher("<button onclick=\"x()\">").find()).isTrue();
        assertThat(FORBIDDEN.matcher("<div th:style=\"${s}\">").find()).isTrue();
        assertThat(FORBIDDEN.matcher("<div style=\"color: red\">").find()).isTrue();
        assertThat(FORBIDDEN.matcher("<div th:attr=\"data-x=1,style=${s}\">").find()).isTrue();
        assertThat(FORBIDDEN.matcher("<a href=\"javascript:void(0)\">").find()).isTrue();
        assertThat(FORBIDDEN.matcher("<div data-span=\"4\" class=\"stylish\" data-on=\"x\">").find()).isFalse();
    }

    private static String excerpt(String text, int at) {
        return text.substring(Math.max(0, at - 40), Math.min(text.length(), at + 40)).replace('\n', ' ');
    }
}
