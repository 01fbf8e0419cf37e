package site.gateway.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * {@code wait-ready}: waits until the running gateway answers {@code /system/health} with 200, i.e. none of
 * its own checks is critical. systemd runs it as ExecStartPost (bin/gateway-wait-ready), so the unit is
 * "started" only once the gateway is healthy, and a gateway that never gets there fails its start.
 */
final class WaitReadyCommand implements Command {
    /** The gateway's checks except the PLCs': a PLC switched off must not fail, and so restart, the gateway. */
    static final String PATH = "/system/health?tags=gateway,-plc";
    private static final long POLL_MILLIS = 1000;

    @Override
    public String help() {
        return """
                usage: gateway-ctl wait-ready [--home DIR] [--timeout SECONDS] [--url URL] [--user U] [--password-file F]
                  Waits until the running gateway is healthy: /system/health?tags=gateway,-plc answers 200
                  (none of its checks critical; the PLC checks are left out). Polls every second.
                  --timeout SECONDS    how long to wait (default 120)
                  --url URL            the console (default as for status)
                  --user U, --password-file F
                                       credentials (default: $GATEWAY_CONSOLE_USER / $GATEWAY_CONSOLE_PASSWORD, else
                                       monitoringUser / monitoringPassword of conf/gateway.console.cfg, else admin
                                       with <home>/data/console-initial-password while it exists)
                  Exit code: 0 healthy, 1 not healthy within the timeout (the last answer is printed),
                  2 usage error, 4 no credentials found within the timeout.
                """;
    }

    @Override
    public int run(Options options, Home home, PrintStream out, PrintStream err) {
        long timeoutSeconds;
        try {
            timeoutSeconds = Long.parseLong(options.get("timeout", "120"));
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout takes whole seconds: " + options.get("timeout"));
        }
        String base = options.get("url", StatusCommand.defaultUrl(home));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        String last = "no answer yet";
        boolean hadCredentials = false;
        while (true) {
            try {
                // Looked up on each poll: at the first start the console writes the generated password only now.
                String authorization = authorization(options, home);
                if (authorization == null) {
                    throw new NoCredentials();
                }
                hadCredentials = true;
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + PATH)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", authorization).GET().build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    out.println("the gateway is healthy (" + base + PATH + ")");
                    return 0;
                }
                last = "HTTP " + response.statusCode() + (response.statusCode() == 401 ? " (login refused)" : "") + ": "
                        + response.body();
            } catch (NoCredentials e) {
                last = "no credentials: give --user/--password-file, set GATEWAY_CONSOLE_USER and GATEWAY_CONSOLE_PASSWORD,"
                        + " or configure monitoringUser/monitoringPassword in conf/gateway.console.cfg";
            } catch (IOException e) {
                last = "no answer: " + e; // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (System.nanoTime() - deadline >= 0) {
                err.println("the gateway is not healthy after " + timeoutSeconds + " s; last answer from " + base + PATH
                        + ": " + last);
                return hadCredentials ? 1 : 4;
            }
            try {
                Thread.sleep(POLL_MILLIS); // a poll interval, not synchronisation: the gateway is another process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** No credentials found (yet). */
    private static final class NoCredentials extends Exception {
        private static final long serialVersionUID = 1L;

        NoCredentials() {
            super(null, null, false, false);
        }
    }

    /** The first credentials given: options or environment as for status, the monitoring user, the initial admin. */
    private static String authorization(Options options, Home home) throws IOException {
        String user = options.get("user", StatusCommand.env("GATEWAY_CONSOLE_USER", null));
        boolean explicitPassword = options.get("password-file") != null
                || !StatusCommand.env("GATEWAY_CONSOLE_PASSWORD", "").isEmpty();
        if (user == null && !explicitPassword) {
            String monitoringUser = home.cfg("gateway.console", "monitoringUser", "");
            String monitoringPassword = home.cfg("gateway.console", "monitoringPassword", "");
            // A hashed password ({sha-256}salt-rounds-hash, the console's form) only checks; it cannot log in.
            if (!monitoringUser.isBlank() && !monitoringPassword.isEmpty() && !monitoringPassword.matches("\\{[a-z0-9-]+}.*")) {
                return basic(monitoringUser.strip(), monitoringPassword);
            }
        }
        String password = StatusCommand.password(options, home);
        return password == null ? null : basic(user == null ? "admin" : user, password);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
