package site.gateway.console.security;

/** Untrusted text made safe for a log line: control characters replaced, length bounded. */
final class Sanitized {
    private Sanitized() {
    }

    static String text(String value, int max) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), max) + 3);
        for (int i = 0; i < value.length() && b.length() < max; i++) {
            char c = value.charAt(i);
            b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (value.length() > max) {
            b.append("...");
        }
        return b.toString();
    }
}
