package io.vgpuhub.web.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.UUID;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * A tenant's whole day with a slice, in Chromium: request an A40-8Q on My slices, watch the list (which refreshes
 * itself with htmx) turn it READY, copy the libvirt XML with the Copy button, release it, and watch it leave.
 */
@JourneyTest
class TenantSliceJourneyTests {

    @RegisterExtension
    static final Journey journey = new Journey("tenant-slice");

    @Test
    void aTenantRequestsAVgpuCopiesItsAttachXmlAndReleasesIt() throws Exception {
        Browser alice = journey.browser();
        alice.logIn("alice");
        alice.clickLink("My slices");
        alice.waitFor("the request form", d -> d.findElement(By.id("request-form")));
        alice.saw("my-slices");

        alice.fillSliceRequest("A40-8Q (", "render-journey-01");
        alice.saw("request-filled-in");
        alice.submitSliceRequest();
        alice.waitFor("the notice that the slice was requested", d -> d.findElement(By.cssSelector("main > p.notice")));
        alice.saw("requested");

        // No reload from here on: the list polls itself until the slice has settled.
        By row = By.xpath("//div[@id='slice-list']/table//tr[td[1]='render-journey-01']");
        WebElement ready = alice.waitFor("the slice turns READY in the list", d -> {
            WebElement r = d.findElement(row);
            return r.findElements(By.cssSelector(".state-READY")).isEmpty() ? null : r;
        });
        UUID mdev = UUID.fromString(ready.findElement(By.cssSelector("code.mdev-uuid")).getText());
        assertThat(alice.findAll(By.cssSelector("#slice-list .live-note"))).as("the list stopped polling").isEmpty();
        alice.saw("ready");
        assertThat(SimulatedGpuHost.hasMdev(mdev)).as("the agent created the mdev on the host").isTrue();

        alice.allowClipboard();
        WebElement copy = ready.findElement(By.cssSelector("button.copy"));
        copy.click();
        alice.waitFor("the Copy button says it copied", d -> "Copied".equals(copy.getText()) ? copy : null);
        alice.saw("copied");
        String copied = alice.clipboard();
        assertThat(copied).isEqualTo(ready.findElement(By.cssSelector("pre")).getText());
        Element hostdev = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(copied))).getDocumentElement();
        assertThat(hostdev.getTagName()).isEqualTo("hostdev");
        assertThat(hostdev.getAttribute("mode")).isEqualTo("subsystem");
        assertThat(hostdev.getAttribute("type")).isEqualTo("mdev");
        assertThat(((Element) hostdev.getElementsByTagName("address").item(0)).getAttribute("uuid"))
                .isEqualTo(mdev.toString());

        ready.findElement(By.linkText("Release…")).click();
        alice.waitFor("the release page", d -> d.findElement(By.xpath("//button[.='Release the slice']")));
        alice.saw("release-confirm");
        alice.click(By.xpath("//button[.='Release the slice']"));
        alice.waitFor("the notice that the slice is being released", d -> d.findElement(By.cssSelector("main > p.notice")));
        alice.saw("releasing");

        By live = By.cssSelector("#slice-list > table tr[data-slice='" + mdev + "']");
        By history = By.cssSelector("#slice-list details.history tr[data-slice='" + mdev + "']");
        alice.waitFor("the slice leaves the live list for the history",
                d -> d.findElements(live).isEmpty() && !d.findElements(history).isEmpty());
        alice.click(By.cssSelector("#slice-list details.history summary"));
        alice.waitFor("the released slice in the history", d -> d.findElement(history).isDisplayed());
        alice.saw("released");
        assertThat(journey.jdbc().sql("select state from slice where uuid = ?").param(mdev).query(String.class).single())
                .isEqualTo("RELEASED");
        alice.waitFor("the agent removed the mdev from the host", d -> !SimulatedGpuHost.hasMdev(mdev));
    }

    /** The console check would see a violation: otherwise a clean console proves nothing. */
    @Test
    void theJourneysNoticeAContentSecurityPolicyViolation() {
        Browser alice = journey.browser();
        alice.logIn("alice");
        alice.script("const style = document.createElement('style'); style.textContent = 'body { color: red }';"
                + " document.head.appendChild(style);");
        assertThatThrownBy(() -> alice.saw("inline-style-refused")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Content Security Policy");
        alice.logOut();
    }
}
