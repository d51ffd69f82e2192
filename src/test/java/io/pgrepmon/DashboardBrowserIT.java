package io.pgrepmon;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.pgrepmon.harness.PgCluster;
import io.pgrepmon.harness.Replication;
import io.pgrepmon.harness.ReplicationPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by Playwright) against the packaged monitor
 * watching a real replication pair: an initial copy's progress bar moves; lag rises and health turns when the
 * subscription stops, and recovers when it resumes; stale data is marked; the page reconnects by itself after the
 * server restarts; a database that goes down is shown with its error; the layout holds still and fits a phone; the
 * console stays clean; and with access control on, the page asks for the token and goes live with it.
 * Screenshots at 1280x800 and 390x844 go to {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    static final String PAIR = "[data-pair='" + ReplicationPair.SUBSCRIPTION + "']";
    static final String COPY_PAIR = "[data-pair='sub_copy']";
    static final int COPY_ROWS = 20_000;
    static final Path SHOTS = Path.of("target", "screenshots");
    /** Chromium writes these itself when a request finds the server gone; they are expected only while it is down. */
    static final String CONNECTION_REFUSED = "ERR_CONNECTION_REFUSED";

    static ReplicationPair pair;
    static Playwright playwright;
    static Browser browser;
    static Path config;
    static int port;
    static Process app;
    static Path appLog;

    @BeforeAll
    static void start() throws IOException {
        pair = ReplicationPair.start(15, 15);
        // A second table whose initial copy an ALWAYS trigger on the target slows to seconds (subscribed by a test).
        pair.source().execute(ReplicationPair.DATABASE, "CREATE TABLE big (id int PRIMARY KEY, payload text)",
                "INSERT INTO big SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, " + COPY_ROWS + ") g",
                "CREATE PUBLICATION pub_copy FOR TABLE big");
        pair.target().execute(ReplicationPair.DATABASE, "CREATE TABLE big (id int PRIMARY KEY, payload text)",
                "CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0004); RETURN NEW; END $$",
                "CREATE TRIGGER slow_down BEFORE INSERT ON big FOR EACH ROW EXECUTE FUNCTION slow_down()",
                "ALTER TABLE big ENABLE ALWAYS TRIGGER slow_down");
        port = PgCluster.freePort();
        config = Files.createTempFile("dashboard", ".yaml");
        Files.writeString(config, """
                monitor:
                  refresh-interval: 1s
                  connect-timeout: 500ms
                  query-timeout: 800ms
                  thresholds:
                    lag-bytes: 65536
                  databases:
                    - {name: source, host: %s, port: %d, user: postgres, password: "%s", dbname: app, role: source, ssl-mode: disable}
                    - {name: target, host: %s, port: %d, user: postgres, password: "%s", dbname: app, role: target, ssl-mode: disable}
                """.formatted(pair.source().host(), pair.source().port(), pair.source().password(),
                pair.target().host(), pair.target().port(), pair.target().password()));
        Files.createDirectories(SHOTS);
        launchApp();
        // Never downloads a browser: the machine's chromium is the one under test.
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path chromium = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
        assertThat(chromium).as("chromium (Debian package 'chromium'; .ci/run installs it)").isExecutable();
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (app != null) {
            app.destroyForcibly();
        }
        if (pair != null) {
            pair.close();
        }
        if (config != null) {
            config.toFile().delete(); // it holds the clusters' passwords
        }
    }

    static void launchApp() throws IOException {
        appLog = Files.createTempFile("dashboard-app", ".log");
        app = PackagedAppIT.launch(appLog, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar",
                PackagedAppIT.jar(), "--config", config.toString());
    }

    static void stopApp() throws InterruptedException {
        app.destroy();
        assertThat(app.waitFor(15, TimeUnit.SECONDS)).as("monitor exits after SIGTERM").isTrue();
    }

    /** Waits (up to {@code seconds}) for a JavaScript condition on the live page; no reload, no polling of ours. */
    static void waitFor(Page page, String condition, int seconds) {
        page.waitForFunction(condition, null, new Page.WaitForFunctionOptions().setTimeout(seconds * 1000.0));
    }

    /** Where the pairs start in the document (not the viewport, which scrolls): moves only if something above grew. */
    static double pairsTop(Page page) {
        return ((Number) page.evaluate("() => document.getElementById('pairs-title').getBoundingClientRect().top + window.scrollY")).doubleValue();
    }

    static String attribute(Page page, String selector, String name) {
        return page.locator(selector).first().getAttribute(name);
    }

    static long lagBytes(Page page) {
        return Long.parseLong(attribute(page, PAIR + " [data-field='lag-bytes'] [data-bytes]", "data-bytes"));
    }

    static String health(Page page) {
        return attribute(page, PAIR + " [data-field='health'] [data-status]", "data-status");
    }

    static String connection(Page page) {
        return attribute(page, "#connection", "data-state");
    }

    static void screenshots(Page page, String name) {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            page.setViewportSize(size[0], size[1]);
            page.evaluate("() => window.scrollTo(0, 0)");
            page.waitForTimeout(300);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-" + size[0] + "x" + size[1] + ".png")));
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(SHOTS.resolve(name + "-" + size[0] + "x" + size[1] + "-full.png")));
            // Wide tables scroll inside their own box: the page itself never scrolls sideways.
            assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no horizontal page overflow at %dx%d", size[0], size[1]).isTrue();
        }
        page.setViewportSize(1280, 800);
    }

    static Page open(BrowserContext context, List<String> consoleErrors, List<String> pageErrors) {
        return open(context, "http://127.0.0.1:" + port + "/", app, appLog, consoleErrors, pageErrors);
    }

    /** A new page on a monitor that answers (the page can only be opened then; later it reconnects by itself). */
    static Page open(BrowserContext context, String url, Process monitor, Path monitorLog, List<String> consoleErrors,
                     List<String> pageErrors) {
        Page page = context.newPage();
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type())) {
                consoleErrors.add(m.text());
            }
        });
        page.onPageError(pageErrors::add);
        HttpClient http = HttpClient.newHttpClient();
        Replication.await(Duration.ofSeconds(30), "the monitor answers", () -> {
            assertThat(monitor.isAlive()).as("monitor running (its log: %s)", monitorLog).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        page.navigate(url);
        return page;
    }

    @Test
    @Order(1)
    void initialCopyProgressMovesOnThePage() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
        List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());
        Page page = open(context, consoleErrors, pageErrors);
        waitFor(page, "() => document.querySelector(\"" + PAIR + " [data-field='health'] [data-status='healthy']\")", 30);

        Replication.subscribe(pair.source(), ReplicationPair.DATABASE, "pub_copy", pair.target(), ReplicationPair.DATABASE, "sub_copy", null);
        String progress = COPY_PAIR + " progress";
        waitFor(page, "() => Number(document.querySelector(\"" + progress + "\")?.value) > 0", 30);
        double first = Double.parseDouble(page.locator(progress).getAttribute("value"));
        assertThat(page.locator(COPY_PAIR + " [data-field='eta']").innerText()).contains("Initial copy").contains("0 of 1 tables ready");
        assertThat(page.locator(COPY_PAIR + " [data-key='sync']").innerText()).contains("public.big").contains("copying data").contains("rows");
        assertThat(page.locator(progress).getAttribute("aria-label")).startsWith("initial copy");
        screenshots(page, "0-initial-copy");
        assertAccessible(page, "copying");
        // The same bar grows as the copy goes on, without a reload.
        waitFor(page, "() => Number(document.querySelector(\"" + progress + "\")?.value) > " + first, 30);
        waitFor(page, "() => document.querySelector(\"" + COPY_PAIR + " [data-key='tables']\").textContent.includes('ready 1')"
                + " && !document.querySelector(\"" + progress + "\")", 60);
        assertThat(Replication.count(pair.target(), ReplicationPair.DATABASE, "SELECT count(*) FROM big")).isEqualTo(COPY_ROWS);
        assertThat(pageErrors).isEmpty();
        assertThat(consoleErrors).isEmpty();
        context.close();
    }

    @Test
    @Order(2)
    void operatorFollowsAPairThroughLagRecoveryStalenessAndARestart() throws Exception {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
        List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());
        Page page = open(context, consoleErrors, pageErrors);
        waitFor(page, "() => document.querySelector(\"" + PAIR + " [data-field='health'] [data-status='healthy']\")", 30);
        assertThat(connection(page)).isEqualTo("live");
        assertThat(page.locator(PAIR + " h3").innerText()).contains("source / sub_orders").contains("target / sub_orders");
        assertThat(page.locator("[data-card='Pairs'] > div:nth-child(2)").innerText())
                .isEqualTo(Integer.toString(page.locator("[data-pair]").count()));
        assertThat(page.locator("[data-database='source']").innerText()).contains("SOURCE").contains("PostgreSQL 15");
        // Marks this document: if the page reloaded, the mark would be gone.
        page.evaluate("() => { window.pgrepmonMark = 'same-document'; }");
        waitFor(page, "() => document.querySelector(\"" + PAIR + " svg[aria-label^='Lag of']\")", 15);
        screenshots(page, "1-healthy");
        assertAccessible(page, "healthy");

        // The operator opens the cutover checklist from the keyboard; updates must not close it again.
        page.focus(PAIR + " [data-part='cutover'] summary");
        page.keyboard().press("Enter");
        assertThat((Boolean) page.evaluate("() => document.querySelector(\"" + PAIR + " [data-part='cutover']\").open")).isTrue();
        // Its button runs the deep checks; the answer stays on screen through the updates that follow.
        page.click(PAIR + " [data-action='deep-check']");
        waitFor(page, "() => document.querySelector(\"" + PAIR + " [data-part='deep-check-status']\").textContent.startsWith('done')", 60);
        waitFor(page, "() => document.querySelector(\"" + PAIR + " [data-part='cutover']\").textContent.includes('content) ran')", 15);
        assertThat(page.locator(PAIR + " [data-part='deep-check-status']").innerText()).startsWith("done");
        assertThat(page.locator(PAIR + " [data-check='row-counts']").innerText()).contains("Pass");
        assertThat(page.locator(PAIR + " [data-part='content-progress']").innerText())
                .matches("Content comparison last run: (\\d+) of \\1 tables, ([\\d,]+) of \\2 rows in [\\d,]+ key ranges.*");

        // The subscription stops and the source keeps writing: the lag rises and the health turns, live.
        double headingBefore = pairsTop(page);
        pair.setSubscriptionEnabled(false);
        pair.insertRows(2000, 200);
        waitFor(page, "() => ['warning', 'critical'].includes(document.querySelector(\"" + PAIR
                + " [data-field='health'] [data-status]\").dataset.status)", 30);
        waitFor(page, "() => Number(document.querySelector(\"" + PAIR + " [data-field='lag-bytes'] [data-bytes]\").dataset.bytes) > 65536", 30);
        long first = lagBytes(page);
        pair.insertRows(2000, 200);
        waitFor(page, "() => Number(document.querySelector(\"" + PAIR + " [data-field='lag-bytes'] [data-bytes]\").dataset.bytes) > " + first, 30);
        assertThat(lagBytes(page)).as("lag rises while the subscription is stopped").isGreaterThan(first);
        assertThat(health(page)).isIn("warning", "critical");
        assertThat(page.title()).as("the tab's title").matches("(Warning|Critical) · [\\d.]+ (KiB|MiB) behind — PostgreSQL replication");
        assertThat(page.locator(PAIR + " [data-field='lag-bytes']").innerText()).containsPattern("\\d+(\\.\\d)? KiB|MiB");
        assertThat(page.locator(PAIR + " [data-field='lag-bytes'] [data-bytes]").getAttribute("title"))
                .as("exact value on hover").matches("[\\d,]+ bytes");
        assertThat(page.locator("[data-card='Worst lag']").innerText()).contains("iB");
        assertThat((Boolean) page.evaluate("() => document.querySelector(\"" + PAIR + " [data-part='cutover']\").open"))
                .as("checklist still open after updates").isTrue();
        assertThat(pairsTop(page)).as("nothing above the pairs moved").isEqualTo(headingBefore);
        screenshots(page, "2-lagging");
        assertAccessible(page, "lagging, checklist open");

        // The subscription resumes: back to Healthy, without a reload.
        pair.setSubscriptionEnabled(true);
        waitFor(page, "() => document.querySelector(\"" + PAIR + " [data-field='health'] [data-status='healthy']\")"
                + " && document.querySelector(\"" + PAIR + " [data-field='lag-bytes'] [data-bytes]\").dataset.bytes === '0'", 60);
        assertThat(page.evaluate("() => window.pgrepmonMark")).isEqualTo("same-document");
        assertThat((Boolean) page.evaluate("() => document.querySelector(\"" + PAIR + " [data-part='cutover']\").open"))
                .as("checklist still open after the health reasons came and went").isTrue();

        // The server stops answering (frozen, socket still open): after two intervals the data is marked stale.
        ProcessHandle frozen = app.toHandle();
        signal(frozen, "STOP");
        try {
            waitFor(page, "() => document.querySelector('#connection').dataset.state === 'stale'", 15);
            assertThat(page.locator("#connection").innerText()).startsWith("Stale: no update for");
            assertThat(page.title()).startsWith("Stale");
            assertThat(page.locator("#main").getAttribute("class")).contains("opacity-60");
            screenshots(page, "3-stale");
        } finally {
            signal(frozen, "CONT");
        }
        waitFor(page, "() => document.querySelector('#connection').dataset.state === 'live'", 15);
        List<String> errorsBeforeRestart = List.copyOf(consoleErrors);

        // The server restarts: the page says it is reconnecting, then reconnects by itself.
        stopApp();
        waitFor(page, "() => document.querySelector('#connection').dataset.state === 'reconnecting'", 15);
        assertThat(page.locator("#connection").innerText()).contains("Reconnecting").contains("attempt");
        screenshots(page, "4-reconnecting");
        launchApp();
        waitFor(page, "() => document.querySelector('#connection').dataset.state === 'live'", 60);
        String takenAt = (String) page.evaluate("() => document.querySelector(\"[data-card='Last update'] time\").getAttribute('datetime')");
        waitFor(page, "() => document.querySelector(\"[data-card='Last update'] time\").getAttribute('datetime') !== '" + takenAt + "'", 15);
        assertThat(health(page)).isEqualTo("healthy");
        assertThat(page.evaluate("() => window.pgrepmonMark")).as("reconnected without a reload").isEqualTo("same-document");
        screenshots(page, "5-reconnected");

        // A database goes down: its card says so with the reason, and the summary counts it.
        pair.target().stopServer("fast");
        try {
            waitFor(page, "() => document.querySelector(\"[data-database='target'] [data-field='health'] [data-status='down']\")", 15);
            // While it shuts down the server may first answer "shutting down" (57P03); once stopped, nothing listens.
            waitFor(page, "() => /refused/i.test(document.querySelector(\"[data-database='target'] [data-field='error']\").textContent)", 15);
            assertThat(page.locator("[data-card='Targets']").innerText()).contains("0 reachable");
            assertThat(page.locator("[data-card='Overall'] [data-status]").getAttribute("data-status")).isIn("critical", "down");
            screenshots(page, "6-target-down");
        } finally {
            pair.target().startServer();
        }

        assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
        assertThat(errorsBeforeRestart).as("console errors while the server was up").isEmpty();
        assertThat(consoleErrors).as("console errors: only the browser's own connection-refused reports while the server was down")
                .allMatch(e -> e.contains(CONNECTION_REFUSED) || e.contains("WebSocket connection to"));
        context.close();
    }

    @Test
    @Order(3)
    void withAccessControlThePageAsksForTheTokenAndGoesLiveWithIt() throws Exception {
        String token = "browser-token-" + Long.toHexString(System.nanoTime());
        Path secured = Files.createTempFile("dashboard-secured", ".yaml");
        Files.writeString(secured, Files.readString(config).replace("monitor:\n", """
                monitor:
                  security:
                    enabled: true
                    token-sha256: %s
                """.formatted(SecurityTests.sha256(token))));
        int securedPort = PgCluster.freePort();
        Path log = Files.createTempFile("dashboard-secured", ".log");
        Process securedApp = PackagedAppIT.launch(log, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + securedPort,
                "-jar", PackagedAppIT.jar(), "--config", secured.toString());
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        try {
            List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());
            List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());
            Page page = open(context, "http://127.0.0.1:" + securedPort + "/", securedApp, log, consoleErrors, pageErrors);
            waitFor(page, "() => document.querySelector('#connection').dataset.state === 'unauthorized' && !document.querySelector('#login').hidden", 15);
            assertThat(page.locator("#connection").innerText()).contains("API token required");
            assertAccessible(page, "asking for the token");

            page.fill("#token", "wrong-" + token);
            page.press("#token", "Enter");
            waitFor(page, "() => document.querySelector('#connection').dataset.state === 'unauthorized' && !document.querySelector('#login').hidden", 15);
            assertThat(page.evaluate("() => sessionStorage.getItem('pgrepmon-token')")).as("a refused token is forgotten").isNull();

            page.fill("#token", token);
            page.press("#token", "Enter");
            // Live means the WebSocket opened: the token went as a sub-protocol, the only way a browser can send it.
            waitFor(page, "() => document.querySelector('#connection').dataset.state === 'live'", 30);
            waitFor(page, "() => document.querySelector(\"" + PAIR + "\")", 15);
            assertThat(page.locator("#login").isHidden()).isTrue();
            assertThat(page.url()).doesNotContain(token);
            assertThat(pageErrors).isEmpty();
            // Each refused attempt is a 401 that Chromium reports itself; nothing else.
            assertThat(consoleErrors).isNotEmpty().allMatch(e -> e.contains("401"));
            assertThat(Files.readString(log)).doesNotContain(token);
        } finally {
            context.close();
            securedApp.destroy();
            assertThat(securedApp.waitFor(15, TimeUnit.SECONDS)).isTrue();
            Files.deleteIfExists(secured);
        }
    }

    /** axe-core's WCAG 2.1 A and AA rules (contrast, names, roles, landmarks, ...) find nothing on the page. */
    static void assertAccessible(Page page, String when) {
        AxeResults results = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze();
        List<String> violations = results.getViolations().stream()
                .map(r -> r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at "
                        + r.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        assertThat(violations).as("accessibility violations when %s", when).isEmpty();
        assertThat(results.getPasses()).as("rules axe checked").isNotEmpty();
    }

    static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }
}
