package site.gateway.console.security;

import java.io.IOException;
import java.net.URI;
import java.util.Dictionary;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import site.gateway.api.audit.AuditTrail;
import site.gateway.support.config.ConfigGate;
import site.gateway.support.config.FrameworkService;
import site.gateway.support.http.BasicCredentials;

/**
 * Guards every request to the web console before the console sees it:
 * <ul>
 * <li>the {@code Host} must be localhost, an IP address or a name in {@code allowedHosts}: a page of
 * another site whose name was re-bound to this gateway's address (DNS rebinding) is refused;</li>
 * <li>a state-changing request (anything but GET, HEAD, OPTIONS) must come from the console's own pages:
 * an {@code Origin} (or, without one, a {@code Referer}) of an allowed host, or the custom header
 * {@code X-Requested-With} that no cross-site form can send; a cross-site form POST fails;</li>
 * <li>{@code admin}/{@code admin} is refused whatever the configuration says;</li>
 * <li>an address that failed to log in too often is locked out for a while (429);</li>
 * <li>{@code /system/health} and {@code /metrics} get the same Host check and lockout, and need the console's
 * credentials or the monitoring user's ({@link MonitoringAccess}).</li>
 * </ul>
 * Ranked just below the audit bundle's login auditor, which therefore sees these refusals too.
 */
@Component(service = Preprocessor.class, configurationPid = ConsoleSecurityConfig.PID,
        property = "service.ranking:Integer=" + (Integer.MAX_VALUE - 1))
@Designate(ocd = ConsoleSecurityConfig.class)
public class ConsoleRequestGuard implements Preprocessor {
    static final String CONSOLE_PATH = "/system/console";
    static final String CUSTOM_HEADER = "X-Requested-With";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRequestGuard.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;
    /** Where the console's own user and password are read at each monitoring request (late binding). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configurations;

    private final LongSupplier clock;
    private final ConfigGate<GuardSettings> gate = new ConfigGate<>(ConsoleSecurityConfig.PID, LOG, this::rejected);
    private volatile Set<String> allowedHosts;
    private volatile LoginThrottle throttle;
    private volatile int lockoutSeconds;
    private volatile MonitoringAccess.Credentials monitoringUser;
    /**
     * The last accepted monitoring login (digest of its header, with the configuration it was checked against):
     * a scraper sends the same header every time, and checking a hashed password costs 10,000 SHA-256 rounds.
     */
    private volatile Object lastAccepted;

    @Activate
    public ConsoleRequestGuard(ConsoleSecurityConfig config) {
        this(config, System::currentTimeMillis);
    }

    ConsoleRequestGuard(ConsoleSecurityConfig config, LongSupplier clock) {
        this.clock = clock;
        apply(gate.first(() -> GuardSettings.from(config)));
    }

    @Modified
    void configure(ConsoleSecurityConfig config) {
        gate.check(() -> GuardSettings.from(config), "the previous one").ifPresent(this::apply);
    }

    private void apply(GuardSettings settings) {
        allowedHosts = settings.allowedHosts();
        lockoutSeconds = settings.lockoutSeconds();
        monitoringUser = settings.monitoringUser();
        throttle = new LoginThrottle(settings.maxFailedLogins(), settings.failureWindowSeconds() * 1000L,
                settings.lockoutSeconds() * 1000L);
    }

    /** In the constructor (an invalid first configuration) the audit trail is not injected yet: it is looked up. */
    private void rejected(String reason) {
        FrameworkService.use(audit, ConsoleRequestGuard.class, AuditTrail.class,
                trail -> trail.record("system", "config.rejected", ConsoleSecurityConfig.PID, "rejected", Map.of("reason", reason)));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)
                || http.getRequestURI() == null) {
            chain.doFilter(request, response);
            return;
        }
        boolean monitoring = MonitoringAccess.isMonitoringPath(http.getRequestURI());
        if (!monitoring && !http.getRequestURI().startsWith(CONSOLE_PATH)) {
            chain.doFilter(request, response);
            return;
        }
        String refusal = refusal(http.getMethod(), http.getHeader("Host"), http.getHeader("Origin"),
                http.getHeader("Referer"), http.getHeader(CUSTOM_HEADER));
        if (refusal != null) {
            refuse(http, answer, HttpServletResponse.SC_FORBIDDEN, refusal);
            return;
        }
        String address = http.getRemoteAddr();
        String authorization = http.getHeader("Authorization");
        long now = clock.getAsLong();
        if (authorization != null && throttle.lockedOut(address, now)) {
            answer.setHeader("Retry-After", String.valueOf(lockoutSeconds));
            refuse(http, answer, 429, "too many failed logins from " + address);
            return;
        }
        if (isDefaultCredentials(authorization)) {
            answer.setHeader("WWW-Authenticate", "Basic realm=\"OSGi Management Console\"");
            answer.sendError(HttpServletResponse.SC_UNAUTHORIZED, "admin/admin is refused");
            failed(address, now);
            return;
        }
        if (monitoring) {
            // The console authenticates its own pages; these servlets know nothing of users, so the guard does.
            MonitoringAccess.Credentials console = consoleUser();
            MonitoringAccess.Credentials monitor = monitoringUser;
            Object lastKey = lastAccepted;
            Object key = java.util.Arrays.asList(MonitoringAccess.digest(authorization), console, monitor);
            if (key.equals(lastKey)) {
                chain.doFilter(request, response); // the same credentials against the same configuration: no new hashing
                return;
            }
            if (!MonitoringAccess.accepts(authorization, console, monitor)) {
                if (authorization != null) {
                    failed(address, now);
                }
                answer.setHeader("WWW-Authenticate", "Basic realm=\"Gateway monitoring\"");
                answer.sendError(HttpServletResponse.SC_UNAUTHORIZED, "the console's or the monitoring user's credentials are needed");
                return;
            }
            throttle.succeeded(address);
            lastAccepted = key;
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(request, response);
        if (authorization != null) {
            if (answer.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
                failed(address, now);
            } else if (answer.getStatus() < 400) {
                throttle.succeeded(address);
            }
        }
    }

    /** The console's user and password as configured now, or null while unknown. */
    private MonitoringAccess.Credentials consoleUser() {
        ConfigurationAdmin admin = configurations;
        if (admin == null) {
            return null;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + ConsolePasswordGuard.PID + ")");
            Dictionary<String, Object> p = found == null ? null : found[0].getProperties();
            if (p == null) {
                return null;
            }
            Object user = p.get("username");
            Object password = p.get("password");
            return new MonitoringAccess.Credentials(user == null ? "admin" : user.toString(), password == null ? null : password.toString());
        } catch (IOException | InvalidSyntaxException e) {
            return null;
        }
    }

    private void failed(String address, long now) {
        if (throttle.failed(address, now)) {
            LOG.warn("Web console: too many failed logins from {}; refused for a while", address);
            AuditTrail trail = audit;
            if (trail != null) {
                trail.record("system", "console.lockout", address, "rejected", Map.of("reason", "too many failed logins"));
            }
        }
    }

    /** Why the request is refused before authentication, or null. */
    String refusal(String method, String host, String origin, String referer, String customHeader) {
        if (!allowedHost(hostOf(host))) {
            return "Host " + Sanitized.text(host, 80) + " is not an address of this console";
        }
        if (method == null || SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            return null;
        }
        // The console's own pages have the console's origin: same host and port as the request names.
        if (origin != null) {
            return sameOrigin(origin, host) ? null
                    : "cross-site " + method + " from Origin " + Sanitized.text(origin, 80) + " refused";
        }
        if (referer != null) {
            return sameOrigin(referer, host) ? null
                    : "cross-site " + method + " from Referer " + Sanitized.text(referer, 80) + " refused";
        }
        return customHeader != null ? null
                : method + " without Origin, Referer or " + CUSTOM_HEADER + " refused (cross-site request protection)";
    }

    private boolean allowedHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return allowedHosts.contains(h) || IPV4.matcher(h).matches() || (h.startsWith("[") && h.endsWith("]"));
    }

    /** The host of a Host header ({@code name:port}, {@code [v6]:port}). */
    static String hostOf(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** True when the URL (an Origin or Referer) has the host and port of the {@code Host} header. */
    static boolean sameOrigin(String url, String hostHeader) {
        if ("null".equals(url) || hostHeader == null) {
            return false; // an opaque origin (sandboxed frame, file:, data:) is never ours
        }
        try {
            URI uri = URI.create(url.trim());
            String host = uri.getHost();
            if (host == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                return false;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String h = hostHeader.trim().toLowerCase(Locale.ROOT);
            String wanted = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host).toLowerCase(Locale.ROOT);
            String headerHost = hostOf(h);
            String rest = h.substring(headerHost == null ? 0 : headerHost.length());
            int headerPort = rest.startsWith(":") ? Integer.parseInt(rest.substring(1)) : port;
            return wanted.equals(headerHost) && port == headerPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isDefaultCredentials(String authorization) {
        BasicCredentials given = BasicCredentials.of(authorization);
        return given != null && ConsolePasswords.FORBIDDEN.equals(given.password());
    }

    private void refuse(HttpServletRequest http, HttpServletResponse answer, int status, String reason) throws IOException {
        LOG.warn("Web console request {} {} from {} refused: {}", http.getMethod(), Sanitized.text(http.getRequestURI(), 120),
                http.getRemoteAddr(), reason);
        answer.sendError(status, reason);
    }
}
