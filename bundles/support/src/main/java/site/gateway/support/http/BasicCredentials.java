package site.gateway.support.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user and password of an HTTP Basic {@code Authorization} header (RFC 7617), as sent: nothing is checked
 * against any configuration here.
 *
 * @param user     the text before the first colon, or all of it when there is no colon
 * @param password the text after the first colon, or null when there is no colon
 */
public record BasicCredentials(String user, String password) {
    private static final String SCHEME = "Basic ";

    /** The credentials of a header, or null when it is absent, of another scheme or not Base64. */
    public static BasicCredentials of(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new BasicCredentials(decoded, null)
                : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
