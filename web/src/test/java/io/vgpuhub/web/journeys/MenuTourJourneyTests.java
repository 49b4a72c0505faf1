package io.vgpuhub.web.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Every page a role reaches from its menus (the header and the section tabs), clicked through in Chromium: each must
 * load with nothing in the console, so the Content-Security-Policy is proven on all of them, not only on the journeys'.
 */
@JourneyTest
class MenuTourJourneyTests {

    @RegisterExtension
    static final Journey journey = new Journey("menu-tour");

    private static final By MENUS = By.cssSelector("header nav a, nav.tabs a");

    @ParameterizedTest
    @ValueSource(strings = { "alice", "tom", "olivia", "fiona", "leo" })
    void everyPageInTheMenusLoadsWithoutAConsoleError(String user) {
        Browser browser = journey.browser();
        browser.logIn(user);
        Set<String> visited = new LinkedHashSet<>();
        Deque<String> toVisit = new ArrayDeque<>(menuLinks(browser));
        while (!toVisit.isEmpty()) {
            String path = toVisit.pop();
            if (!visited.add(path)) {
                continue;
            }
            WebElement link = browser.findAll(MENUS).stream().filter(a -> path.equals(pathOf(a))).findFirst()
                    .orElseGet(() -> {
                        browser.open(path, "tour-" + user + "-back");
                        return browser.find(By.cssSelector("a[href='" + path + "']"));
                    });
            link.click();
            browser.waitFor("the page behind " + path, ExpectedConditions.stalenessOf(link));
            browser.waitFor(path + " loaded", d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
            assertThat(browser.title()).as("the title of the page behind " + path).isNotBlank()
                    .doesNotContain("Something went wrong");
            if (path.startsWith("/swagger-ui")) {
                // Swagger UI renders the API after fetching it: its errors, if any, come only then.
                browser.waitFor("Swagger UI shows the API's operations", d -> d.findElement(By.cssSelector(".swagger-ui .opblock")));
            }
            browser.saw("tour-" + user + path.replaceAll("[^A-Za-z0-9]+", "-"));
            menuLinks(browser).stream().filter(p -> !visited.contains(p)).forEach(toVisit::add);
        }
        assertThat(visited).hasSizeGreaterThan(1);
        browser.logOut();
    }

    private static Set<String> menuLinks(Browser browser) {
        Set<String> paths = new LinkedHashSet<>();
        browser.findAll(MENUS).forEach(a -> paths.add(pathOf(a)));
        return paths;
    }

    private static String pathOf(WebElement link) {
        return URI.create(link.getDomProperty("href")).getPath();
    }
}
