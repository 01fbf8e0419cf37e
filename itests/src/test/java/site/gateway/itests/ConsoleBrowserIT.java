package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * The Gateway page of the web console, loaded by a real headless Chromium (installed by .ci/run:
 * Debian's chromium) from the running distribution; the rendered DOM shows the gateway's state.
 */
public class ConsoleBrowserIT {
    private static final java.util.regex.Pattern STATE =
            java.util.regex.Pattern.compile("<th[^>]*>State</th><td>(operational|degraded)</td>");
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));

    @Test
    public void gatewayPageShowsTheStateInARealBrowser() throws Exception {
        assumeTrue("Debian's chromium is needed (apt-get install chromium; .ci/run installs it)",
                Files.isExecutable(CHROMIUM));
        try (GatewayProcess gateway = GatewayProcess.start().awaitAllActive(Duration.ofSeconds(120))) {
            // Without certificates or a WMS the gateway is degraded, with the reasons; either state proves the page works.
            Await.until("the gateway page reports the state", Duration.ofSeconds(30),
                    () -> STATE.matcher(gateway.get("/system/console/gateway").body()).find());
            String url = gateway.consoleBase().replace("http://", "http://admin:admin@") + "/system/console/gateway";
            Path screenshot = Path.of("target/console-gateway.png").toAbsolutePath();

            String dom = chromium(gateway.home(), "--dump-dom", url);
            chromium(gateway.home(), "--screenshot=" + screenshot, "--window-size=1280,900", url);

            assertTrue("the page's own content is rendered", dom.contains("id=\"gateway-page\""));
            assertTrue("inside the console's frame (navigation present)", dom.contains("Gateway"));
            assertTrue("state shown", STATE.matcher(dom).find());
            assertTrue("identity shown", dom.contains("<td>gw-01</td>"));
            assertTrue("a screenshot was taken", Files.size(screenshot) > 10_000);
        }
    }

    private static String chromium(Path home, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(home, "chromium")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "chromium", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue("chromium finished", process.waitFor(60, TimeUnit.SECONDS));
        assertEquals("chromium exit code", 0, process.exitValue());
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
