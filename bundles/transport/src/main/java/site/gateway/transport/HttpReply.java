package site.gateway.transport;

/** An HTTP answer: status, body and the {@code Retry-After} header (null when absent). */
record HttpReply(int status, byte[] body, String retryAfter) {

    /** {@code Retry-After} in ms (delta-seconds form), or 0 when absent or unreadable. */
    long retryAfterMs() {
        return RetryAfter.parseMs(retryAfter, System.currentTimeMillis());
    }
}
