package io.vgpuhub.web.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

/**
 * Every bundle that spring.messages.basename lists (read from the running configuration, so bundles added later
 * are covered too) has the same keys in every language the portal speaks, with the same arguments, and apostrophes
 * that MessageFormat will not swallow.
 */
@SpringBootTest
@AutoConfigureMockMvc
class MessageBundlesTests {

    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)[,}]");

    @Autowired
    Environment environment;

    @Test
    void theConfigurationListsTheBundles() {
        assertThat(basenames()).contains("messages", "i18n/portal");
    }

    @Test
    void everyKeyExistsInEveryLanguage() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String basename : basenames()) {
            Properties english = load(basename + ".properties");
            if (english == null) {
                problems.add(basename + ".properties is listed in spring.messages.basename but does not exist");
                continue;
            }
            for (Locale locale : translations()) {
                String file = basename + "_" + locale + ".properties";
                Properties translated = load(file);
                if (translated == null) {
                    if (!english.isEmpty()) {
                        problems.add(file + " is missing (" + english.size() + " keys to translate)");
                    }
                    continue;
                }
                missing(english, translated).forEach(key -> problems.add(file + " lacks " + key));
                missing(translated, english).forEach(key -> problems.add(file + " has " + key + ", which "
                        + basename + ".properties lacks"));
            }
        }
        assertThat(problems).as("message bundle problems").isEmpty();
    }

    @Test
    void translationsTakeTheSameArgumentsAsTheEnglishText() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String basename : basenames()) {
            Properties english = load(basename + ".properties");
            for (Locale locale : translations()) {
                Properties translated = load(basename + "_" + locale + ".properties");
                if (english == null || translated == null) {
                    continue;
                }
                for (String key : english.stringPropertyNames()) {
                    String text = translated.getProperty(key);
                    if (text != null && !arguments(english.getProperty(key)).equals(arguments(text))) {
                        problems.add(basename + "_" + locale + ": " + key + " uses " + arguments(text) + ", English uses "
                                + arguments(english.getProperty(key)));
                    }
                    if (text != null && text.isBlank()) {
                        problems.add(basename + "_" + locale + ": " + key + " is empty");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * A message with arguments goes through MessageFormat, where a lone ' starts a quoted section and vanishes;
     * a message without arguments is shown as written, where '' would show as two.
     */
    @Test
    void apostrophesSurviveMessageFormat() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String basename : basenames()) {
            for (String file : Stream.concat(Stream.of(basename + ".properties"),
                    translations().stream().map(locale -> basename + "_" + locale + ".properties")).toList()) {
                Properties messages = load(file);
                if (messages == null) {
                    continue;
                }
                for (String key : messages.stringPropertyNames()) {
                    String text = messages.getProperty(key);
                    boolean formatted = !arguments(text).isEmpty();
                    if (formatted && text.replace("''", "").contains("'")) {
                        problems.add(file + ": " + key + " has arguments and a single ' (write it as '')");
                    }
                    if (!formatted && text.contains("''")) {
                        problems.add(file + ": " + key + " has no arguments, so '' would show as two apostrophes");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private List<String> basenames() {
        String configured = environment.getProperty("spring.messages.basename", "messages");
        return Stream.of(configured.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    private static List<Locale> translations() {
        return SupportedLocales.ALL.stream().filter(locale -> !locale.equals(SupportedLocales.ENGLISH)).toList();
    }

    private static Properties load(String path) throws IOException {
        ClassPathResource resource = new ClassPathResource(path);
        if (!resource.exists()) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static Set<String> missing(Properties from, Properties in) {
        Set<String> keys = new TreeSet<>(from.stringPropertyNames());
        keys.removeAll(in.stringPropertyNames());
        return keys;
    }

    private static Set<Integer> arguments(String text) {
        Set<Integer> found = new TreeSet<>();
        Matcher matcher = ARGUMENT.matcher(text);
        while (matcher.find()) {
            found.add(Integer.parseInt(matcher.group(1)));
        }
        return found;
    }
}
