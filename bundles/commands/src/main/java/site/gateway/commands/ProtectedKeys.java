package site.gateway.commands;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fixed deny-list of gateway {@code config} commands (issue 13): configuration that decides what
 * the gateway trusts, what it may write to a PLC, or what it records, is out of reach of every WMS
 * command, whatever {@code configAllowList} says. It changes only through {@code conf/} or the console.
 * A leaked or misused signing key therefore cannot widen its own powers.
 */
final class ProtectedKeys {
    /** PIDs no command may touch at all (TLS identity, trust, command keys, audit trail, identity, console). */
    private static final Map<String, String> WHOLE_PIDS = Map.of(
            "gateway.crypto", "it holds the TLS identity, trust anchors, command keys and developmentMode",
            "gateway.audit", "it decides where and how long the audit trail is kept and its MAC key",
            "gateway.identity", "it is the gateway's identity",
            "gateway.console", "it guards the web console");

    /** Keys of a PID that no command may change; the PID's other keys stay possible. */
    private static final Map<String, Set<String>> KEYS = Map.of(
            "gateway.commands", Set.of("configAllowList", "clockSkewSeconds", "maxLifetimeSeconds", "replayCacheDirectory"),
            "gateway.plc", Set.of("connection", "tags"));

    /** Per-tag keys of a PLC ({@code writable.<tag>}, ...): what a command may write must not be set by a command. */
    private static final Set<String> PLC_TAG_PREFIXES = Set.of("writable.", "min.", "max.");

    private ProtectedKeys() {
    }

    /** Why {@code key} of {@code pid} may not be changed by a command, or empty when it may. */
    static Optional<String> why(String pid, String key) {
        String base = factoryPid(pid);
        if (!base.startsWith("gateway.")) {
            return Optional.of("PID " + pid + " is not a gateway configuration; commands change only gateway.* PIDs");
        }
        String whole = WHOLE_PIDS.get(base);
        if (whole != null) {
            return Optional.of("PID " + base + " is protected: " + whole);
        }
        if (key.endsWith(".target")) {
            return Optional.of("property " + key + " selects services and is protected");
        }
        if (KEYS.getOrDefault(base, Set.of()).contains(key)) {
            return Optional.of("property " + key + " of " + base + " is protected");
        }
        if (base.equals("gateway.plc") && PLC_TAG_PREFIXES.stream().anyMatch(key::startsWith)) {
            return Optional.of("property " + key + " of " + base + " is protected: it decides what commands may write");
        }
        return Optional.empty();
    }

    private static String factoryPid(String pid) {
        int tilde = pid.indexOf('~');
        return tilde > 0 ? pid.substring(0, tilde) : pid;
    }
}
