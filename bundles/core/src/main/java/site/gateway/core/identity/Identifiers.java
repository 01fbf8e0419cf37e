package site.gateway.core.identity;

import java.util.regex.Pattern;

/** The identifier syntax of the protocol: {@code [A-Za-z0-9._-]{1,64}}. */
final class Identifiers {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private Identifiers() {
    }

    static String require(String key, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " must match [A-Za-z0-9._-]{1,64}, got '" + value + "'");
        }
        return value;
    }
}
