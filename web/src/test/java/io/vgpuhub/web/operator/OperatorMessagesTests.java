package io.vgpuhub.web.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The operator bundle speaks English and Simplified Chinese alike, and the templates ask only for keys it has. */
@OperatorPageTest
class OperatorMessagesTests {

    @Autowired
    MockMvc mvc;

    @Test
    void everyKeyHasAnEnglishAndAChineseText() throws IOException {
        Properties english = load("i18n/operator.properties");
        Properties chinese = load("i18n/operator_zh_CN.properties");

        assertThat(chinese.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        assertThat(chinese.stringPropertyNames()).allSatisfy(key -> assertThat(chinese.getProperty(key)).isNotBlank());
        // Titles and sentences are translated, not copied (codes such as "MIG" or "{0} MiB" may stay as they are).
        assertThat(chinese.getProperty("operator.hosts.intro")).isNotEqualTo(english.getProperty("operator.hosts.intro"))
                .containsPattern("\\p{IsHan}");
    }

    @Test
    void everyKeyTheOperatorTemplatesUseExists() throws IOException {
        Properties english = load("i18n/operator.properties");
        Set<String> used = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        Pattern key = Pattern.compile("#\\{([A-Za-z0-9_.]+)[}(]|#messages\\.msg\\('([A-Za-z0-9_.]+)'\\s*[,)]");
        // Keys built from a value ('operator.mode.' + g.mode): at least the family must exist.
        Pattern prefix = Pattern.compile("'(operator\\.[A-Za-z0-9_.]+\\.)'\\s*\\+");
        try (Stream<Path> templates = Files.list(Path.of("src/main/resources/templates/operator"))) {
            for (Path template : templates.toList()) {
                String html = Files.readString(template);
                Matcher m = key.matcher(html);
                while (m.find()) {
                    used.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
                Matcher p = prefix.matcher(html);
                while (p.find()) {
                    prefixes.add(p.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty().allSatisfy(k -> assertThat(english).containsKey(k));
        assertThat(prefixes).isNotEmpty().allSatisfy(family -> assertThat(english.stringPropertyNames())
                .anySatisfy(k -> assertThat(k).startsWith(family)));
    }

    @Test
    @WithUserDetails("olivia")
    void theHostsPageSpeaksChineseToAChineseBrowser() throws Exception {
        mvc.perform(get("/operator/hosts").locale(Locale.SIMPLIFIED_CHINESE)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("最后心跳"), containsString("离线"))));
    }

    /** A properties file of the classpath, read as UTF-8. */
    static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = OperatorMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
