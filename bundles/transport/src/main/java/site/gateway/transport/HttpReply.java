package site.gateway.transport;

/** An HTTP answer: status, body and the {@code Retry-After} header (null when absent). */
record HttpReply(int status, byte[] body, String retryAfter) {

    /** 429 or 503: the endpoint asks to be left alone for a while (its {@code Retry-After}, if any). */
    boolean asksToWait() {
        return status == 429 || status == 503;
    }

    /** {@code Retry-After} in ms (delta-seconds form), or 0 when absent or unreadable. */
    long retryAfterMs() {
        return RetryAfter.parseMs(retryAfter, System.currentTimeMillis());
    }
}
