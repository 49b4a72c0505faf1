package io.vgpuhub.web.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgpuhub.web.agentapi.HostTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The operator registers a host and rotates its agent token, each time with an impatient second click: the token the
 * page shows once must be the one that works, so the form is sent once.
 */
@JourneyTest
class HostTokenJourneyTests {

    @RegisterExtension
    static final Journey journey = new Journey("host-token");

    private static final String HOST = "gpu-node-7";

    @Test
    void aSecondClickRegistersNothingMoreRotatesNothingMoreAndTheShownTokenIsTheOneThatWorks() {
        Browser olivia = journey.browser();
        olivia.logIn("olivia");
        olivia.clickLink("Hosts");
        olivia.clickLink("Register a host…");
        olivia.fill(By.id("name"), HOST);
        olivia.saw("register");
        olivia.clickTwice(By.xpath("//button[.='Register and issue a token']"));
        String registered = shownToken(olivia);
        olivia.allowClipboard();
        olivia.click(By.xpath("//button[.='Copy the token']"));
        olivia.waitFor("the button says it copied", d -> d.findElement(By.xpath("//button[.='Copied']")));
        assertThat(olivia.clipboard()).as("what the Copy button put on the clipboard").isEqualTo(registered);
        olivia.saw("registered");
        assertThat(hashOf(HOST)).as("the token shown is the host's").isEqualTo(HostTokens.hash(registered));
        assertThat(audited("host.register")).isEqualTo(1);

        olivia.click(By.partialLinkText("Back to the host"));
        olivia.click(By.xpath("//summary[.='Rotate…']"));
        olivia.saw("rotate-confirm");
        olivia.clickTwice(By.xpath("//button[.='Yes, issue a new token']"));
        String rotated = shownToken(olivia);
        olivia.saw("rotated");
        assertThat(rotated).isNotEqualTo(registered);
        assertThat(hashOf(HOST)).as("the token shown is the host's").isEqualTo(HostTokens.hash(rotated));
        assertThat(audited("host.token.rotate")).as("rotated once").isEqualTo(1);
    }

    private static String shownToken(Browser browser) {
        return browser.waitFor("the token, shown once", d -> d.findElement(By.id("token-secret"))).getText().strip();
    }

    private static String hashOf(String host) {
        return journey.jdbc().sql("select agent_token_hash from host where name = ?").param(host).query(String.class).single();
    }

    private static long audited(String action) {
        return journey.jdbc().sql("select count(*) from audit_event where action = ? and target = ?")
                .params(action, HOST).query(Long.class).single();
    }
}
