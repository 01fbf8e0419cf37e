package site.gateway.audit;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.Preprocessor;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import site.gateway.support.http.BasicCredentials;

/**
 * Audits web console logins ({@code console.login}): a Jakarta Servlet Whiteboard preprocessor, so it
 * sees every request before any servlet context's security handling, refused ones included. The
 * console authenticates with HTTP Basic on every request: the first refused attempt (401/403/429 with
 * credentials) of an address is recorded at once; further ones within {@link #FAILURE_WINDOW_MS} are
 * counted and recorded as one {@code console.login-failures} entry when the window closes (a password
 * guesser cannot flood the trail); a successful login is recorded once per user and address until it has
 * been idle for 30 minutes. Only the user name is read from the credentials, never the password, and it
 * is cut and cleaned. Without an HTTP server nobody asks for this service, so its servlet classes are
 * never loaded (optional imports).
 */
// highest ranking: it must wrap the console's own authentication, which may run as a preprocessor too
@Component(service = Preprocessor.class, property = "service.ranking:Integer=" + Integer.MAX_VALUE)
public class ConsoleLoginAuditor implements Preprocessor {
    static final String CONSOLE_PATH = "/system/console";
    static final long IDLE_MS = 30 * 60_000L;
    static final long FAILURE_WINDOW_MS = 5 * 60_000L;
    /** Addresses with an open failure window; beyond this, the oldest windows are closed early. */
    static final int MAX_OPEN_WINDOWS = 1000;
    private static final int MAX_USER_CHARS = 64;
    private static final int MAX_USERS_LISTED = 5;

    /** Failed logins of one address since {@code first}. */
    private static final class Failures {
        final long first;
        long last;
        long count;
        final java.util.Set<String> users = new java.util.LinkedHashSet<>();

        Failures(long first) {
            this.first = first;
            this.last = first;
        }
    }

    private final Map<String, Failures> failures = new java.util.LinkedHashMap<>();

    private final Recorder audit;
    private final LongSupplier clock;
    private final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();

    @Activate
    public ConsoleLoginAuditor(@Reference site.gateway.api.audit.AuditTrail audit) {
        this(audit::record, System::currentTimeMillis);
    }

    ConsoleLoginAuditor(Recorder audit, LongSupplier clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** What this class needs of the trail: the API's {@code AuditTrail.record} with details. */
    interface Recorder {
        void record(String actor, String action, String target, String outcome, Map<String, Object> details);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer) {
            observe(http.getRequestURI(), http.getHeader("Authorization"), http.getRemoteAddr(), answer.getStatus());
        }
    }

    void observe(String path, String authorization, String remoteAddr, int status) {
        if (path == null || !path.startsWith(CONSOLE_PATH)) {
            return;
        }
        String user = basicUser(authorization);
        if (user == null) {
            return; // no credentials: the browser is only being asked for them
        }
        String key = user + '@' + remoteAddr;
        String actor = "operator:" + user;
        long now = clock.getAsLong();
        closeWindows(now, false);
        if (status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN || status == 429) {
            lastSuccess.remove(key);
            boolean first;
            synchronized (failures) {
                Failures f = failures.get(remoteAddr);
                first = f == null;
                if (first) {
                    if (failures.size() >= MAX_OPEN_WINDOWS) {
                        closeOldest();
                    }
                    f = new Failures(now);
                    failures.put(remoteAddr, f);
                } else {
                    f.count++;
                    f.last = now;
                    if (f.users.size() < MAX_USERS_LISTED) {
                        f.users.add(user);
                    }
                }
            }
            if (first) {
                audit.record(actor, "console.login", remoteAddr, "rejected", Map.of("user", user, "status", status));
            }
            return;
        }
        Long previous = lastSuccess.put(key, now);
        if (previous == null || now - previous > IDLE_MS) {
            audit.record(actor, "console.login", remoteAddr, "ok", Map.of("user", user));
        }
    }

    /**
     * Records one {@code console.login-failures} entry per address whose window has passed (all of them
     * when {@code all}), for the failures after the first one, which was recorded at once.
     */
    void closeWindows(long now, boolean all) {
        java.util.List<Map.Entry<String, Failures>> closed = new java.util.ArrayList<>();
        synchronized (failures) {
            for (var it = failures.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, Failures> e = it.next();
                if (all || now - e.getValue().first > FAILURE_WINDOW_MS) {
                    closed.add(e);
                    it.remove();
                }
            }
        }
        closed.forEach(e -> summarise(e.getKey(), e.getValue()));
    }

    /** Flushes what is still counted (the bundle stops). */
    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        closeWindows(clock.getAsLong(), true);
    }

    private void closeOldest() {
        var it = failures.entrySet().iterator();
        Map.Entry<String, Failures> oldest = it.next();
        it.remove();
        summarise(oldest.getKey(), oldest.getValue());
    }

    private void summarise(String address, Failures f) {
        if (f.count > 0) {
            audit.record("system", "console.login-failures", address, "rejected", Map.of("count", f.count,
                    "users", String.join(",", f.users), "firstTs", f.first, "lastTs", f.last));
        }
    }

    /** The user name of an HTTP Basic {@code Authorization} header, or null. */
    static String basicUser(String header) {
        BasicCredentials credentials = BasicCredentials.of(header);
        if (credentials == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder();
        credentials.user().codePoints().limit(MAX_USER_CHARS)
                .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
                .forEach(clean::appendCodePoint);
        return clean.toString();
    }
}
