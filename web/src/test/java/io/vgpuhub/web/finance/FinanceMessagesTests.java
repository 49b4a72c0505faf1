package io.vgpuhub.web.finance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The finance and billing bundles speak English and Simplified Chinese alike, and the statement and billing templates
 * ask only for keys that exist (dynamic status keys included).
 */
class FinanceMessagesTests {

    private static final List<String> TEMPLATES = List.of("finance/months.html", "finance/month.html",
            "finance/statement.html", "finance/statement-body.html", "finance/slice.html", "finance/error.html",
            "finance/fragments.html", "billing/index.html", "billing/month.html", "billing/error.html", "home.html");

    @Test
    void everyKeyHasAnEnglishAndAChineseText() throws IOException {
        for (String bundle : List.of("i18n/finance", "i18n/billing")) {
            Properties english = load(bundle + ".properties");
            Properties chinese = load(bundle + "_zh_CN.properties");
            assertThat(chinese.stringPropertyNames()).as(bundle).isEqualTo(english.stringPropertyNames());
            assertThat(chinese.stringPropertyNames()).allSatisfy(key -> assertThat(chinese.getProperty(key)).isNotBlank());
        }
        assertThat(load("i18n/finance_zh_CN.properties").getProperty("finance.statement.lines")).containsPattern("\\p{IsHan}");
    }

    @Test
    void everyKeyTheTemplatesUseExists() throws IOException {
        Properties known = load("i18n/finance.properties");
        known.putAll(load("i18n/billing.properties"));
        known.putAll(load("messages.properties"));
        known.putAll(load("i18n/licenses.properties"));
        Set<String> used = new TreeSet<>();
        Pattern key = Pattern.compile("#\\{([A-Za-z0-9_.]+)[}(]");
        for (String template : TEMPLATES) {
            Matcher m = key.matcher(Files.readString(Path.of("src/main/resources/templates", template)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).isNotEmpty().allSatisfy(k -> assertThat(known).containsKey(k));
        for (String status : List.of("RUNNING", "OPEN", "CLOSED")) {
            assertThat(known).containsKeys("finance.status." + status, "finance.status." + status + ".explain");
        }
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = FinanceMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
