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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 14 point 5: the Gateway page in Debian's headless Chromium shows the health checks and draws the last
 * hour's charts with its own script (SVG), from data it can fetch again ({@code gateway/live.json}).
 */
public class GatewayPageBrowserIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEPTH_CHART = Pattern.compile("<svg id=\"chart-depth\"[^>]*>(.*?)</svg>", Pattern.DOTALL);

    @Test
    public void healthChecksAndChartsInARealBrowser() throws Exception {
        assumeTrue("Debian's chromium is needed (apt-get install chromium; .ci/run installs it)", Files.isExecutable(CHROMIUM));
        try (GatewayProcess gateway = GatewayProcess.start().awaitAllActive(Duration.ofSeconds(180))) {
            // Two samples (one every 10 s) make a line; the health checks are registered by then.
            Await.until("two samples of the last hour and the health checks", Duration.ofSeconds(90), () -> {
                JsonNode live = JSON.readTree(gateway.get("/system/console/gateway/live.json").body());
                return live.path("history").path("ts").size() >= 2 && live.path("health").size() >= 6;
            });
            JsonNode live = JSON.readTree(gateway.get("/system/console/gateway/live.json").body());
            assertTrue("the live data says the state", live.path("state").asText().matches("operational|degraded"));

            String url = gateway.consoleBase().replace("http://", "http://admin:" + gateway.password() + "@") + "/system/console/gateway";
            String dom = chromium(gateway.home(), "--virtual-time-budget=3000", "--dump-dom", url);
            chromium(gateway.home(), "--virtual-time-budget=3000", "--screenshot=" + Path.of("target/console-gateway-live.png").toAbsolutePath(),
                    "--window-size=1280,1400", url);

            assertTrue("health table", dom.contains("id=\"gateway-health\""));
            // Without certificates the client certificate check is critical, and says why.
            assertTrue("a check with its status", dom.contains("<td>Client certificate</td><td>CRITICAL</td>"));
            assertTrue("each check on its own row", dom.contains("<td>Buffer</td>") && dom.contains("<td>Audit writer</td>"));
            Matcher depth = DEPTH_CHART.matcher(dom);
            assertTrue("the depth chart", depth.find());
            assertTrue("drawn by the page's script: a line through the samples", depth.group(1).contains("<polyline")
                    && depth.group(1).contains("class=\"series\""));
            assertTrue("axis labels", depth.group(1).contains("-60 min") && depth.group(1).contains("now"));
            assertTrue("the time of the data shown", Pattern.compile("Updated \\d\\d:\\d\\d:\\d\\d UTC").matcher(dom).find());

            // Felix's own Health Check page of the console is there too.
            assertEquals(200, gateway.get("/system/console/healthcheck").statusCode());
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
