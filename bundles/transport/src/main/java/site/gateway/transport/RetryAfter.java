package site.gateway.transport;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads {@code Retry-After} (RFC 9110): delta-seconds as the protocol says, or an HTTP date. */
final class RetryAfter {
    private RetryAfter() {
    }

    static long parseMs(String value, long nowMs) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds <= 0 ? 0 : Math.min(seconds, 86_400) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, Math.min(at - nowMs, 86_400_000L));
            } catch (DateTimeParseException notDate) {
                return 0;
            }
        }
    }
}
