package io.vgpuhub.web.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The license administrator records a new vWS entitlement and sees the free seats grow on the overview; then a
 * tenant's A40-8Q (a vWS edition) becomes READY and the overview counts its seat as used.
 */
@JourneyTest
class LicenseSeatJourneyTests {

    @RegisterExtension
    static final Journey journey = new Journey("license-seats");

    /** One edition's row of the overview's "Seats now" table. */
    record Seats(int entitled, int used, int free) {

        static Seats of(Browser browser, String edition) {
            WebElement row = browser.find(By.cssSelector("#seats-now tr[data-edition='" + edition + "']"));
            return new Seats(number(row, "entitled"), number(row, "used"), number(row, "free"));
        }

        private static int number(WebElement row, String column) {
            return Integer.parseInt(row.findElement(By.cssSelector("td." + column)).getText().replace(",", "").trim());
        }
    }

    @Test
    void aNewEntitlementAddsFreeSeatsAndATenantsSliceTakesOne() {
        Browser leo = journey.browser();
        leo.logIn("leo");
        leo.clickLink("Licenses");
        leo.waitFor("the seats table", d -> d.findElement(By.id("seats-now")));
        leo.saw("licenses-before");
        Seats before = Seats.of(leo, "VWS");

        leo.clickLink("Entitlements");
        leo.clickLink("Record an entitlement");
        leo.waitFor("the entitlement form", d -> d.findElement(By.id("seats")));
        leo.select(By.id("edition"), text -> text.contains("(vWS)"));
        leo.fill(By.id("seats"), "6");
        leo.fill(By.id("orderReference"), "PO-JOURNEY-2026-11");
        leo.fill(By.id("notes"), "Six more vWS seats for the render farm");
        leo.saw("entitlement-filled-in");
        leo.click(By.xpath("//button[.='Save']"));
        WebElement notice = leo.waitFor("the entitlement is recorded", d -> d.findElement(By.cssSelector("p.notice")));
        assertThat(notice.getText()).contains("Recorded 6 seats of VWS (order PO-JOURNEY-2026-11)");
        assertThat(leo.find(By.cssSelector("table.entitlements")).getText()).contains("PO-JOURNEY-2026-11");
        leo.saw("entitlement-recorded");

        leo.clickLink("Licenses");
        leo.waitFor("the seats table", d -> d.findElement(By.id("seats-now")));
        leo.saw("licenses-more-seats");
        Seats entitled = Seats.of(leo, "VWS");
        assertThat(entitled).isEqualTo(new Seats(before.entitled() + 6, before.used(), before.free() + 6));
        leo.logOut();

        Browser alice = journey.browser();
        alice.logIn("alice");
        alice.clickLink("My slices");
        alice.requestSlice("A40-8Q (", "cad-seat-journey");
        By row = By.xpath("//div[@id='slice-list']/table//tr[td[1]='cad-seat-journey']");
        alice.waitFor("the slice turns READY holding a seat", d -> {
            WebElement r = d.findElement(row);
            return !r.findElements(By.cssSelector(".state-READY")).isEmpty()
                    && !r.findElements(By.cssSelector(".seat-held")).isEmpty();
        });
        alice.saw("slice-holds-seat");
        alice.logOut();

        leo.logIn("leo");
        leo.clickLink("Licenses");
        leo.waitFor("the seats table", d -> d.findElement(By.id("seats-now")));
        leo.saw("licenses-seat-used");
        assertThat(Seats.of(leo, "VWS"))
                .isEqualTo(new Seats(entitled.entitled(), entitled.used() + 1, entitled.free() - 1));
        leo.clickLink("Slices holding seats");
        leo.waitFor("the holders page", d -> d.findElement(By.tagName("h1")));
        assertThat(leo.find(By.tagName("main")).getText()).contains("cad-seat-journey");
        leo.saw("seat-holders");
    }
}
