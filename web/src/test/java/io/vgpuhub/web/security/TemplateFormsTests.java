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
 * Thymeleaf adds the CSRF token to a form only when its action is a th:action; a form with a plain action would post
 * without it and be refused (403). And htmx requests other than GET would need the token in a header, which nothing
 * sends yet: any hx-post/put/patch/delete must come with that first.
 */
class TemplateFormsTests {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern HTMX_WRITE = Pattern.compile("hx-(?:post|put|patch|delete)\\s*=", Pattern.CASE_INSENSITIVE);

    @Test
    void everyPostingFormCarriesTheCsrfToken() throws IOException {
        List<String> problems = new ArrayList<>();
        int posting = 0;
        for (Map.Entry<Path, String> template : Templates.withoutComments().entrySet()) {
            String text = template.getValue();
            Matcher form = FORM.matcher(text);
            while (form.find()) {
                String tag = form.group();
                if (tag.matches("(?is).*\\bmethod\\s*=\\s*[\"']post[\"'].*")) {
                    posting++;
                    if (!tag.contains("th:action")) {
                        problems.add(template.getKey() + ": " + tag);
                    }
                }
            }
            if (HTMX_WRITE.matcher(text).find()) {
                problems.add(template.getKey() + ": an htmx request that changes state (send the CSRF header first)");
            }
        }
        assertThat(posting).isGreaterThan(20);
        assertThat(problems).isEmpty();
    }
}
