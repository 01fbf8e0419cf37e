package site.gateway.crypto;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 host name check against the subjectAltName only (no CN fallback): DNS names
 * case-insensitively, a wildcard only as the whole left-most label of a name with at least three labels;
 * IP literals only against iPAddress entries.
 */
public final class HostnameMatcher {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    /** @return null when the host matches, else the reason it does not */
    public static String mismatch(String host, X509Certificate leaf) {
        if (host == null || host.isBlank()) {
            return "no peer host name known for the connection";
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return "unreadable subjectAltName: " + e.getMessage();
        }
        List<String> names = new ArrayList<>();
        boolean ipLiteral = isIpLiteral(h);
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (ipLiteral && type == SAN_IP && sameAddress(h, value)) {
                    return null;
                }
                if (!ipLiteral && type == SAN_DNS && dnsMatches(h, value)) {
                    return null;
                }
                if (type == SAN_IP || type == SAN_DNS) {
                    names.add(value);
                }
            }
        }
        return "host '" + host + "' does not match the certificate's subjectAltName " + names;
    }

    static boolean isIpLiteral(String h) {
        return h.indexOf(':') >= 0 || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // Both are literals, so no name resolution happens here.
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean dnsMatches(String host, String pattern) {
        String h = stripDot(host.toLowerCase(Locale.ROOT));
        String p = stripDot(pattern.toLowerCase(Locale.ROOT));
        if (!p.startsWith("*.")) {
            return h.equals(p);
        }
        String suffix = p.substring(1); // ".example.com"
        if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) {
            return false; // "*.com" or nested wildcards are never accepted
        }
        if (!h.endsWith(suffix)) {
            return false;
        }
        String label = h.substring(0, h.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
