package io.pgrepmon.harness;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The machine's chromium (Debian's package), headless, driven by Playwright, which never downloads a browser. */
public final class Chromium {

    /** Where the browser tests put their screenshots. */
    public static final Path SHOTS = Path.of("target", "screenshots");

    private Chromium() {
    }

    public static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    public static Browser launch(Playwright playwright) {
        Path chromium = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
        assertThat(chromium).as("chromium (Debian package 'chromium'; .ci/run installs it)").isExecutable();
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** Waits (up to {@code seconds}) for a JavaScript condition on the live page; no reload, no polling of ours. */
    public static void waitFor(Page page, String condition, int seconds) {
        page.waitForFunction(condition, null, new Page.WaitForFunctionOptions().setTimeout(seconds * 1000.0));
    }

    /** axe-core's WCAG 2.1 A and AA rules (contrast, names, roles, landmarks, ...) find nothing on the page. */
    public static void assertAccessible(Page page, String when) {
        AxeResults results = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze();
        List<String> violations = results.getViolations().stream()
                .map(r -> r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at "
                        + r.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        assertThat(violations).as("accessibility violations when %s", when).isEmpty();
        assertThat(results.getPasses()).as("rules axe checked").isNotEmpty();
    }

    /**
     * A screenshot at desktop (1280x800) and phone (390x844) width, of the screen and of the whole page, after
     * checking that the page itself never scrolls sideways (wide tables scroll inside their own box).
     */
    public static void screenshots(Page page, String name) {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            page.setViewportSize(size[0], size[1]);
            page.evaluate("() => window.scrollTo(0, 0)");
            page.waitForTimeout(300);
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-" + size[0] + "x" + size[1] + ".png")));
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                    .setPath(SHOTS.resolve(name + "-" + size[0] + "x" + size[1] + "-full.png")));
            assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))
                    .as("no horizontal page overflow at %dx%d", size[0], size[1]).isTrue();
        }
        page.setViewportSize(1280, 800);
    }
}
