package site.gateway.commands;

/**
 * An accepted command waiting for its PLC (or for the gateway's configuration queue).
 *
 * @param arrivedNanos {@link System#nanoTime()} when the command arrived, for its latency
 */
record QueuedCommand(Command command, Action action, long acceptedAt, long arrivedNanos) {

    QueuedCommand(Command command, Action action, long acceptedAt) {
        this(command, action, acceptedAt, System.nanoTime());
    }

    /**
     * Latest start of execution. {@code expiresAt} normally; a command accepted within the clock-skew
     * allowance after its {@code expiresAt} may still start at once, but not after waiting in the queue.
     */
    long startDeadline() {
        return Math.max(command.expiresAt(), acceptedAt);
    }
}
