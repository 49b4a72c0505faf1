package io.vgpuhub.web.journeys;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's chromium and chromium-driver, never one Selenium Manager downloads) as a person uses the
 * portal: it opens pages, clicks and types. Every page it is shown is kept as a numbered screenshot under
 * {@code target/journeys/<journey>/}, and after every page the browser's console is read: a Content-Security-Policy
 * violation or any other error there fails the journey.
 */
final class Browser implements AutoCloseable {

    /** Where Debian's chromium-driver puts the driver; {@code -Dvgpuhub.journeys.chromedriver=...} for elsewhere. */
    static final String DRIVER = System.getProperty("vgpuhub.journeys.chromedriver", "/usr/bin/chromedriver");
    static final String CHROMIUM = System.getProperty("vgpuhub.journeys.chromium", "/usr/bin/chromium");
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final String baseUrl;
    private final Path artifacts;
    private final Path downloads;
    private final List<String> console = new ArrayList<>();
    private int step;

    private Browser(ChromeDriver driver, String baseUrl, Path artifacts, Path downloads) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.artifacts = artifacts;
        this.downloads = downloads;
    }

    static Browser start(String journey, String baseUrl) {
        requireInstalled(DRIVER, "chromedriver");
        requireInstalled(CHROMIUM, "chromium");
        Path artifacts = Path.of("target", "journeys", journey).toAbsolutePath();
        deleteRecursively(artifacts);
        Path downloads = artifacts.resolve("downloads");
        try {
            Files.createDirectories(downloads);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400",
                "--lang=en-US", "--no-first-run", "--disable-extensions", "--password-store=basic");
        options.setExperimentalOption("prefs", Map.of(
                "intl.accept_languages", "en-US,en",
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                // A PDF link downloads the file instead of opening it in Chromium's viewer.
                "plugins.always_open_pdf_externally", true,
                "credentials_enable_service", false,
                "profile.password_manager_enabled", false,
                "profile.password_manager_leak_detection", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // An explicit driver executable: Selenium Manager (which would download a driver) never runs.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        return new Browser(driver, baseUrl, artifacts, downloads);
    }

    private static void requireInstalled(String path, String what) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException("The browser journeys need Debian's Chromium: " + what + " is not at " + path
                    + ". Install it with `apt-get install chromium chromium-driver` (or point -Dvgpuhub.journeys."
                    + what + " at it).");
        }
    }

    /** Opens a page of the portal by its path, as typing it into the address bar would. */
    void open(String path, String stepName) {
        driver.get(baseUrl + path);
        saw(stepName);
    }

    /** Keeps a screenshot of what the browser shows now, and fails on anything the console reported since last time. */
    void saw(String stepName) {
        step++;
        Path file = artifacts.resolve("%02d-%s.png".formatted(step, stepName));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertConsoleClean();
    }

    /** Fails on a Content-Security-Policy violation or a script or network error the console reported. */
    void assertConsoleClean() {
        List<String> bad = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            String line = entry.getLevel() + " " + entry.getMessage();
            console.add(driver.getCurrentUrl() + " " + line);
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue() || entry.getMessage().contains("Content Security Policy")) {
                bad.add(line);
            }
        }
        writeConsoleLog();
        if (!bad.isEmpty()) {
            throw new AssertionError("The browser console reported errors on " + driver.getCurrentUrl() + ":\n  "
                    + String.join("\n  ", bad));
        }
    }

    void logIn(String username) {
        open("/login", "login-" + username);
        fill(By.id("username"), username);
        fill(By.id("password"), "demo");
        click(By.cssSelector("form[action$='/login'] button[type=submit]"));
        waitFor(username + " is signed in", d -> !d.findElements(By.cssSelector("header .who")).isEmpty());
        saw("signed-in-" + username);
    }

    void logOut() {
        click(By.cssSelector("form[action$='/logout'] button"));
        waitFor("the login page after logging out", d -> d.getCurrentUrl().contains("/login?logout"));
        saw("logged-out");
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    void click(By by) {
        waitFor("a clickable " + by, d -> {
            WebElement element = d.findElement(by);
            return element.isDisplayed() && element.isEnabled() ? element : null;
        }).click();
    }

    /**
     * Two clicks 50 ms apart, as an impatient person makes them: the second lands while the first one's request is on
     * its way. (A WebDriver click waits for the page it loads, and two clicks within one task make Chromium send one
     * request only, so the second click comes from the page itself.)
     */
    void clickTwice(By by) {
        WebElement element = waitFor("a clickable " + by, d -> {
            WebElement found = d.findElement(by);
            return found.isDisplayed() && found.isEnabled() ? found : null;
        });
        driver.executeScript("const b = arguments[0]; b.click(); setTimeout(() => b.click(), 50);", element);
    }

    void clickLink(String text) {
        click(By.linkText(text));
    }

    void fill(By by, String text) {
        WebElement field = find(by);
        field.clear();
        field.sendKeys(text);
    }

    /** Picks the first option of a select whose visible text matches. */
    void select(By by, Predicate<String> optionText) {
        Select select = new Select(find(by));
        WebElement option = select.getOptions().stream().filter(o -> optionText.test(o.getText())).findFirst()
                .orElseThrow(() -> new AssertionError("no matching option in " + by));
        select.selectByVisibleText(option.getText());
    }

    /** Fills in the request form of "My slices" (shown): the first offering whose text starts so, and the VM's name. */
    void fillSliceRequest(String offeringPrefix, String vmName) {
        select(By.id("offeringId"), text -> text.startsWith(offeringPrefix));
        fill(By.id("vmName"), vmName);
    }

    /** Requests a slice through the form of "My slices" (shown): fills it in and submits it. */
    void requestSlice(String offeringPrefix, String vmName) {
        fillSliceRequest(offeringPrefix, vmName);
        submitSliceRequest();
    }

    void submitSliceRequest() {
        click(By.cssSelector("#request-form button[type=submit]"));
    }

    /** Waits (re-reading the page, which htmx may swap under it) until the condition gives something other than null or false. */
    <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE).withMessage(what).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** What the page's clipboard holds, read the way a page script would (the browser grants the permission first). */
    String clipboard() {
        Object text = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.clipboard.readText().then(done, e => done('clipboard read failed: ' + e));""");
        return String.valueOf(text);
    }

    /** Lets the portal's pages read and write the clipboard without asking (a person would click "Allow"). */
    void allowClipboard() {
        driver.setPermission("clipboard-read", "granted");
        driver.setPermission("clipboard-write", "granted");
    }

    /** Waits until Chromium has finished downloading a file whose name ends so, and returns it. */
    Path downloaded(String suffix) {
        return waitFor("a download ending in " + suffix, d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    String title() {
        return driver.getTitle();
    }

    /** Runs a script in the page, as the page's own code would (only the console check's own test needs this). */
    void script(String javaScript) {
        driver.executeScript(javaScript);
    }

    /** A screenshot and the page's HTML, named after the step that failed. */
    void failed() {
        try {
            Files.writeString(artifacts.resolve("%02d-failure.html".formatted(step + 1)), driver.getPageSource());
            saw("failure");
        }
        catch (RuntimeException | AssertionError | IOException ignored) {
            // The journey's own failure is what the report must show; a second one here would hide it.
        }
    }

    private void writeConsoleLog() {
        try {
            Files.write(artifacts.resolve("console.log"), console);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
