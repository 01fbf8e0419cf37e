package site.gateway.commands;

/** A message without a usable {@code commandId}: answered with {@code error} {@code invalid-command}. */
final class UnusableCommand extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableCommand(String detail) {
        super(detail, null, false, false);
    }
}
