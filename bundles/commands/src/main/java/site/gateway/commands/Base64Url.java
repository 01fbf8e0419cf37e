package site.gateway.commands;

import java.util.Base64;

/** base64url (RFC 4648 §5) without padding; padding on input is tolerated (§3.6). */
final class Base64Url {
    private Base64Url() {
    }

    /** @throws IllegalArgumentException when {@code text} is not base64url */
    static byte[] decode(String text) {
        String unpadded = text;
        int end = unpadded.length();
        while (end > 0 && unpadded.charAt(end - 1) == '=') {
            end--;
        }
        if (unpadded.length() - end > 2) {
            throw new IllegalArgumentException("too much padding");
        }
        // The JDK decoder accepts unpadded input; stripping first also tolerates correct padding.
        return Base64.getUrlDecoder().decode(unpadded.substring(0, end));
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
