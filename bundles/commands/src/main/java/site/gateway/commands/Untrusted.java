package site.gateway.commands;

/**
 * Text that came from an unverified frame (tag names, PIDs, keys, kids, ids inside a rejection's
 * detail), made fit for a log line and the audit trail: control and format characters (line breaks,
 * ANSI escapes, bidi overrides) become {@code ?} and the length is bounded, so a forged frame can
 * neither forge log lines nor make each audit entry as large as itself.
 */
final class Untrusted {
    static final int MAX_DETAIL_CHARS = 200;

    private Untrusted() {
    }

    static String text(String value) {
        return text(value, MAX_DETAIL_CHARS);
    }

    static String text(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), max) + 16);
        int i = 0;
        while (i < value.length() && b.length() < max) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            b.appendCodePoint(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (i < value.length()) {
            b.append("…(").append(value.length()).append(" chars)");
        }
        return b.toString();
    }
}
