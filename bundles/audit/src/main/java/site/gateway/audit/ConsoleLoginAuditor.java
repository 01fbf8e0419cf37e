package site.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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

/**
 * Audits web console logins ({@code console.login}): a Jakarta Servlet Whiteboard preprocessor, so it
 * sees every request before any servlet context's security handling, refused ones included. The
 * console authenticates with HTTP Basic on every request: a refused attempt (401/403 with credentials)
 * is recorded each time, a successful one once per user and address until it has been idle for 30
 * minutes. Only the user name is read from the credentials, never the password. Without an HTTP
 * server nobody asks for this service, so its servlet classes are never loaded (optional imports).
 */
// highest ranking: it must wrap the console's own authentication, which may run as a preprocessor too
@Component(service = Preprocessor.class, property = "service.ranking:Integer=" + Integer.MAX_VALUE)
public class ConsoleLoginAuditor implements Preprocessor {
    static final String CONSOLE_PATH = "/system/console";
    static final long IDLE_MS = 30 * 60_000L;
    private static final int MAX_USER_CHARS = 128;

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
        if (status == HttpServletResponse.SC_UNAUTHORIZED || status == HttpServletResponse.SC_FORBIDDEN) {
            lastSuccess.remove(key);
            audit.record(actor, "console.login", remoteAddr, "rejected", Map.of("user", user, "status", status));
            return;
        }
        long now = clock.getAsLong();
        Long previous = lastSuccess.put(key, now);
        if (previous == null || now - previous > IDLE_MS) {
            audit.record(actor, "console.login", remoteAddr, "ok", Map.of("user", user));
        }
    }

    /** The user name of an HTTP Basic {@code Authorization} header, or null. */
    static String basicUser(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            String user = colon < 0 ? decoded : decoded.substring(0, colon);
            return user.length() > MAX_USER_CHARS ? user.substring(0, MAX_USER_CHARS) : user;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
