package io.pgrepmon;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.pgrepmon.harness.Chromium;
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
import java.util.concurrent.TimeUnit;

import static io.pgrepmon.harness.Chromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by Playwright) against the packaged monitor
 * watching a real replication pair: a pair's line on the overview leads to its own page, where an initial copy's
 * progress bar moves; lag rises and health turns when the
 * subscription stops, and recovers when it resumes; stale data is marked; the page reconnects by itself after the
 * server restarts; a database that goes down is shown with its error; the layout holds still and fits a phone; the
 * console stays clean; and with access control on, the page asks for the token and goes live with it.
 * Screenshots at 1280x800 and 390x844 go to {@code target/screenshots}. The overview at 500 pairs is DashboardScaleTests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    /** The pair's line on the overview, and its card on its own page. */
    static final String PAIR_ROW = "#pairs [data-pair='" + ReplicationPair.SUBSCRIPTION + "']";
    static final String PAIR = "#detail [data-pair='" + ReplicationPair.SUBSCRIPTION + "']";
    static final String COPY_ROW = "#pairs [data-pair='sub_copy']";
    static final String COPY_PAIR = "#detail [data-pair='sub_copy']";
    static final int COPY_ROWS = 20_000;
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
        Files.createDirectories(Chromium.SHOTS);
        launchApp();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
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

    /** Where the pair's card starts in the document (not the viewport, which scrolls): moves only if something above grew. */
    static double pairTop(Page page) {
        return ((Number) page.evaluate("() => document.querySelector(\"" + PAIR + "\").getBoundingClientRect().top + window.scrollY")).doubleValue();
    }

    static void screenshots(Page page, String name) {
        Chromium.screenshots(page, name);
    }

    static void assertAccessible(Page page, String when) {
        Chromium.assertAccessible(page, when);
    }

    /** Follows the link of a line of the overview to its own page, as an operator clicks it. */
    static void openFromOverview(Page page, String row, String loaded) {
        page.click(row + " a");
        waitFor(page, "() => document.querySelector(\"" + loaded + "\")", 30);
        assertThat(page.locator("#overview").isHidden()).isTrue();
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
        waitFor(page, "() => document.querySelector(\"" + PAIR_ROW + " [data-field='health'] [data-status='healthy']\")", 30);

        Replication.subscribe(pair.source(), ReplicationPair.DATABASE, "pub_copy", pair.target(), ReplicationPair.DATABASE, "sub_copy", null);
        // The new pair's line on the overview says it is in its initial copy; its own page shows the copy's progress.
        waitFor(page, "() => document.querySelector(\"" + COPY_ROW + " [data-field='eta']\")?.textContent.includes('Initial copy')", 30);
        assertThat(page.locator(COPY_ROW + " [data-field='tables']").innerText()).contains("0 of 1 ready");
        openFromOverview(page, COPY_ROW, COPY_PAIR);
        assertThat(page.url()).endsWith("#/pairs/sub_copy");
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
        waitFor(page, "() => document.querySelector(\"" + PAIR_ROW + " [data-field='health'] [data-status='healthy']\")", 30);
        assertThat(connection(page)).isEqualTo("live");
        assertThat(page.locator("[data-card='Pairs'] > div:nth-child(2)").innerText())
                .isEqualTo(Integer.toString(page.locator("#pairs [data-pair]").count()));
        assertThat(page.locator("#databases [data-database='source']").innerText()).contains("SOURCE").contains("PostgreSQL 15");
        screenshots(page, "1-overview");
        assertAccessible(page, "the overview");
        // Marks this document: if the page reloaded, the mark would be gone.
        page.evaluate("() => { window.pgrepmonMark = 'same-document'; }");
        // The pair's own page, from its line on the overview.
        openFromOverview(page, PAIR_ROW, PAIR);
        assertThat(page.url()).endsWith("#/pairs/" + ReplicationPair.SUBSCRIPTION);
        assertThat(page.locator(PAIR + " h3").innerText()).contains("source / sub_orders").contains("target / sub_orders");
        assertThat(page.locator("#detail [data-database='source']").innerText()).contains("SOURCE").contains("PostgreSQL 15");
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
        // The tick after a deep check may not have hashed the table definitions yet (their catalog counters can be
        // late): the check is unknown for that tick, and passes on the next that hashes them.
        waitFor(page, "() => document.querySelector(\"" + PAIR + " [data-check='row-counts']\").textContent.includes('Pass')", 15);
        assertThat(page.locator(PAIR + " [data-part='content-progress']").innerText())
                .matches("Content comparison last run: (\\d+) of \\1 tables, ([\\d,]+) of \\2 rows in [\\d,]+ key ranges.*");

        // The subscription stops and the source keeps writing: the lag rises and the health turns, live.
        double headingBefore = pairTop(page);
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
        assertThat((Boolean) page.evaluate("() => document.querySelector(\"" + PAIR + " [data-part='cutover']\").open"))
                .as("checklist still open after updates").isTrue();
        assertThat(pairTop(page)).as("nothing above the pair moved").isEqualTo(headingBefore);
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
        String takenAt = (String) page.evaluate("() => document.querySelector(\"#detail [data-part='updated'] time\").getAttribute('datetime')");
        waitFor(page, "() => document.querySelector(\"#detail [data-part='updated'] time\").getAttribute('datetime') !== '" + takenAt + "'", 15);
        assertThat(health(page)).isEqualTo("healthy");
        assertThat(page.evaluate("() => window.pgrepmonMark")).as("reconnected without a reload").isEqualTo("same-document");
        screenshots(page, "5-reconnected");

        // Back on the overview, where it was left; a database goes down: its line says so with the reason, the summary
        // counts it, and its own page has the whole story.
        page.click("#back");
        waitFor(page, "() => !document.querySelector('#overview').hidden && document.activeElement?.closest(\"" + PAIR_ROW + "\")", 15);
        assertThat(page.locator("[data-card='Worst lag']").innerText()).as("caught up again").contains("every pair caught up");
        pair.target().stopServer("fast");
        try {
            waitFor(page, "() => document.querySelector(\"#databases [data-database='target'] [data-field='health'] [data-status='down']\")", 15);
            // While it shuts down the server may first answer "shutting down" (57P03); once stopped, nothing listens.
            waitFor(page, "() => /refused/i.test(document.querySelector(\"#databases [data-database='target'] [data-field='error']\")?.textContent)", 15);
            assertThat(page.locator("[data-card='Targets']").innerText()).contains("0 reachable");
            assertThat(page.locator(PAIR_ROW + " [data-field='tables']").innerText()).as("table states of a target that is down")
                    .isEqualTo("not known");
            assertThat(page.locator("[data-card='Overall'] [data-status]").getAttribute("data-status")).isIn("critical", "down");
            screenshots(page, "6-target-down");
            openFromOverview(page, "#databases [data-database='target']", "#detail [data-database='target'] [data-field='error']");
            assertThat(page.url()).endsWith("#/databases/target");
            assertThat(page.locator("#detail [data-database='target'] [data-field='error']").innerText()).containsIgnoringCase("refused");
            assertThat(page.locator("#detail [data-key='pairs']").innerText()).contains(ReplicationPair.SUBSCRIPTION);
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
            waitFor(page, "() => document.querySelector(\"" + PAIR_ROW + "\")", 15);
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

    static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }
}
