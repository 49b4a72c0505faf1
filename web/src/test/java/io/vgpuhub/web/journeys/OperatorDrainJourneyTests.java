package io.vgpuhub.web.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The operator drains the only GPU host; a tenant's request for an offering only that host has is then refused with
 * nothing reserved; the operator undrains it again.
 */
@JourneyTest
class OperatorDrainJourneyTests {

    @RegisterExtension
    static final Journey journey = new Journey("operator-drain");

    private static final By HOST = By.cssSelector("table.hosts tr[data-host='sim-host-1']");

    @Test
    void anOperatorDrainsAHostAndItTakesNoNewSlices() {
        Browser olivia = journey.browser();
        olivia.logIn("olivia");
        olivia.clickLink("Hosts");
        WebElement host = olivia.waitFor("the simulated host, online", d -> {
            WebElement row = d.findElement(HOST);
            return row.findElements(By.cssSelector(".status-ONLINE")).isEmpty() ? null : row;
        });
        olivia.saw("hosts");
        host.findElement(By.xpath(".//summary[.='Drain…']")).click();
        olivia.saw("drain-confirm");
        olivia.click(By.xpath("//button[.='Yes, drain sim-host-1']"));
        olivia.waitFor("the host is draining", d -> d.findElement(HOST).findElement(By.cssSelector(".status-DRAINING")));
        assertThat(olivia.find(By.cssSelector("p.notice")).getText()).startsWith("Host sim-host-1 is draining");
        olivia.saw("drained");
        olivia.logOut();

        Browser alice = journey.browser();
        alice.logIn("alice");
        alice.clickLink("My slices");
        alice.requestSlice("A40-8Q (", "render-on-drained");
        WebElement refusal = alice.waitFor("the refusal", d -> d.findElement(By.cssSelector("#request-form .error[role=alert]")));
        assertThat(refusal.getText()).contains("No free capacity for A40-8Q right now", "Nothing was reserved.");
        assertThat(alice.findAll(By.xpath("//div[@id='slice-list']//tr[td[1]='render-on-drained']"))).isEmpty();
        alice.saw("request-refused");
        assertThat(journey.jdbc().sql("select count(*) from slice where vm_name = 'render-on-drained'")
                .query(Long.class).single()).isZero();
        alice.logOut();

        olivia.logIn("olivia");
        olivia.clickLink("Hosts");
        olivia.waitFor("the host, still draining", d -> d.findElement(HOST).findElement(By.xpath(".//summary[.='Undrain…']")))
                .click();
        olivia.click(By.xpath("//button[.='Yes, undrain sim-host-1']"));
        olivia.waitFor("the host is online again", d -> d.findElement(HOST).findElement(By.cssSelector(".status-ONLINE")));
        olivia.saw("undrained");
    }

    /** The other journeys share the host: it must not stay drained when this one fails half-way. */
    @AfterAll
    static void undrainTheHost() {
        journey.jdbc().sql("update host set state = 'ONLINE' where name = 'sim-host-1' and state = 'DRAINING'").update();
    }
}
