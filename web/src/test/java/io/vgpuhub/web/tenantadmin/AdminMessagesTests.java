package io.vgpuhub.web.tenantadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every text of the tenant admin pages exists in English and Simplified Chinese. */
class AdminMessagesTests {

    private static final Pattern TEMPLATE_KEY = Pattern.compile("#\\{([a-zA-Z][\\w.]*)[}(]");
    private static final Pattern JAVA_KEY = Pattern.compile("\"(admin\\.[a-zA-Z.]+)\"");

    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        assertThat(bundle("i18n/admin_zh_CN.properties").stringPropertyNames())
                .isEqualTo(bundle("i18n/admin.properties").stringPropertyNames());
    }

    @Test
    void everyKeyThePagesAndControllersUseExists() throws IOException {
        Set<String> known = new TreeSet<>(bundle("i18n/admin.properties").stringPropertyNames());
        known.addAll(bundle("messages.properties").stringPropertyNames());
        Set<String> used = new TreeSet<>();
        try (Stream<Path> templates = Files.list(Path.of("src/main/resources/templates/tenantadmin"))) {
            for (Path template : templates.toList()) {
                collect(TEMPLATE_KEY, Files.readString(template), used);
            }
        }
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/vgpuhub/web/tenantadmin"))) {
            for (Path source : sources.toList()) {
                collect(JAVA_KEY, Files.readString(source), used);
            }
        }
        for (TenantRole role : TenantRole.values()) {
            used.add("admin.role." + role + ".explained");
        }
        assertThat(used).hasSizeGreaterThan(40);
        assertThat(known).containsAll(used);
    }

    private static void collect(Pattern pattern, String text, Set<String> keys) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
    }

    private static Properties bundle(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = AdminMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
