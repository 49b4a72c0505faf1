package io.vgpuhub.web.finance.ratecards;

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

/**
 * The rate card and cost centre templates ask only for keys that exist (in their bundle, finance's or the shared one),
 * and every problem code the services name has its sentence.
 */
class RateCardsMessagesTests {

    @Test
    void everyKeyTheTemplatesUseExists() throws IOException {
        Properties known = load("i18n/ratecards.properties");
        known.putAll(load("i18n/finance.properties"));
        known.putAll(load("messages.properties"));
        Set<String> used = new TreeSet<>();
        Pattern key = Pattern.compile("#\\{([A-Za-z0-9_.]+)[}(]");
        for (String folder : new String[] { "ratecards", "costcentres" }) {
            try (Stream<Path> templates = Files.list(Path.of("src/main/resources/templates/finance", folder))) {
                for (Path template : templates.toList()) {
                    Matcher m = key.matcher(Files.readString(template));
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        assertThat(used).isNotEmpty().allSatisfy(k -> assertThat(known).containsKey(k));
        for (String state : new String[] { "inForce", "future", "past" }) {
            assertThat(known).containsKey("ratecards.state." + state);
        }
        for (String edition : new String[] { "VAPPS", "VPC", "VWS", "VCS" }) {
            assertThat(known).containsKey("ratecards.edition." + edition);
        }
    }

    @Test
    void everyRefusalTheServicesNameHasASentence() throws IOException {
        Properties known = load("i18n/ratecards.properties");
        Set<String> codes = new TreeSet<>();
        Pattern ratecard = Pattern.compile("add\\(\"([A-Za-z]+)\", \"([A-Za-z]+)\"");
        Matcher m = ratecard.matcher(Files.readString(Path.of(
                "../metering/src/main/java/io/vgpuhub/metering/chargeback/ratecard/RateCardRules.java")));
        while (m.find()) {
            codes.add("ratecards.invalid." + m.group(1) + "." + m.group(2));
        }
        Pattern price = Pattern.compile("add\\(field, \"([A-Za-z]+)\"");
        Matcher p = price.matcher(Files.readString(Path.of(
                "../metering/src/main/java/io/vgpuhub/metering/chargeback/ratecard/RateCardRules.java")));
        while (p.find()) {
            codes.add("ratecards.invalid.offeringPrices." + p.group(1));
            if (!p.group(1).equals("unknownOffering")) {
                codes.add("ratecards.invalid.seatPrices." + p.group(1));
            }
        }
        Pattern centre = Pattern.compile("Problem\\(\"([a-z]+)\", \"([A-Za-z]+)\"");
        Matcher c = centre.matcher(Files.readString(Path.of(
                "../metering/src/main/java/io/vgpuhub/metering/chargeback/costcentre/CostCentres.java")));
        while (c.find()) {
            codes.add("costcentres.invalid." + c.group(1) + "." + c.group(2));
        }
        assertThat(codes).hasSizeGreaterThan(20).allSatisfy(k -> assertThat(known).containsKey(k));
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = RateCardsMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
