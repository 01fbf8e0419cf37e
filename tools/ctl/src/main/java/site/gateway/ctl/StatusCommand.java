package site.gateway.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code status}: the running gateway's Gateway page of the web console, fetched over the console's
 * HTTP on loopback with the console's credentials. The console is the one place the gateway already
 * shows these facts behind its login; a status file would be a second, unauthenticated copy to keep
 * fresh.
 */
final class StatusCommand implements Command {
    static final String PAGE = "/system/console/gateway";

    @Override
    public String help() {
        return """
                usage: gateway-ctl status [--home DIR] [--json] [--url URL] [--user U] [--password-file F]
                  The running gateway's state, as on the web console's Gateway page: identity and state
                  (operational/degraded and why), WMS session, buffer, PLCs.
                  --url URL            the console (default: port and host of conf/org.apache.felix.http.cfg,
                                       else http://127.0.0.1:8080)
                  --user U             console user (default: $GATEWAY_CONSOLE_USER, else admin)
                  --password-file F    file with the console password (default: $GATEWAY_CONSOLE_PASSWORD,
                                       else <home>/data/console-initial-password while it exists)
                  --json               machine-readable output
                  Exit code (LSB): 0 operational, 1 running but not operational, 3 not running (no answer),
                  4 unknown (login refused or unexpected answer).
                """;
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(Options options, Home home, PrintStream out, PrintStream err) {
        String base = options.get("url", defaultUrl(home));
        String user = options.get("user", env("GATEWAY_CONSOLE_USER", "admin"));
        String password;
        try {
            password = password(options, home);
        } catch (IOException e) {
            err.println("cannot read the console password: " + e.getMessage());
            return 4;
        }
        if (password == null) {
            err.println("no console password: give --password-file F or set GATEWAY_CONSOLE_PASSWORD"
                    + " (the generated one was in " + home.home().resolve("data/console-initial-password") + ")");
            return 4;
        }
        HttpResponse<String> response;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            response = http.send(HttpRequest.newBuilder(URI.create(base + PAGE)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (user + ":" + password).getBytes(StandardCharsets.UTF_8))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            err.println("the gateway is not running (nothing answers at " + base + ")");
            return 3;
        } catch (HttpTimeoutException e) {
            err.println("no answer from " + base + " within 30 s");
            return 4;
        } catch (IOException e) {
            err.println("cannot reach " + base + ": " + e);
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 4;
        }
        if (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 429) {
            err.println("the console refused the login of '" + user + "' (HTTP " + response.statusCode() + ")");
            return 4;
        }
        Map<String, Object> sections = ConsolePage.parse(response.body());
        if (response.statusCode() != 200 || !sections.containsKey("Gateway")) {
            err.println("unexpected answer from " + base + PAGE + " (HTTP " + response.statusCode()
                    + "): is the site.gateway.console bundle active?");
            return 4;
        }
        @SuppressWarnings("unchecked")
        String state = ((Map<String, String>) sections.get("Gateway")).getOrDefault("State", "unknown");
        if (options.has("json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("console", base);
            json.putAll(StatusJson.of(sections));
            out.println(Json.write(json));
        } else {
            print(sections, out);
        }
        return "operational".equals(state) ? 0 : 1;
    }

    private static void print(Map<String, Object> sections, PrintStream out) {
        for (Map.Entry<String, Object> section : sections.entrySet()) {
            out.println(section.getKey());
            if (section.getValue() instanceof Map<?, ?> values) {
                values.forEach((k, v) -> out.printf("  %-18s %s%n", k, v));
            } else if (section.getValue() instanceof List<?> rows) {
                if (rows.isEmpty()) {
                    out.println("  (none)");
                }
                for (Object row : rows) {
                    out.println("  " + String.join("  ", ((Map<?, ?>) row).entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                }
            }
        }
    }

    static String defaultUrl(Home home) {
        String port = home.cfg("org.apache.felix.http", "org.osgi.service.http.port", "8080");
        String host = home.cfg("org.apache.felix.http", "org.apache.felix.http.host", "127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("*")) {
            host = "127.0.0.1";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    static String password(Options options, Home home) throws IOException {
        String file = options.get("password-file");
        if (file != null) {
            return lastLine(Path.of(file));
        }
        String env = System.getenv("GATEWAY_CONSOLE_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Path initial = home.home().resolve("data/console-initial-password");
        return Files.isReadable(initial) ? lastLine(initial) : null;
    }

    /** The password is the file's last line (the generated file explains itself in the lines before). */
    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
