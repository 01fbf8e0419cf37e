package site.gateway.support.error;

/** The reason a failure gives an operator: its innermost cause, named by its class. */
public final class RootCause {
    private RootCause() {
    }

    /** "ConnectException: Connection refused": the root cause's simple class name and its message, if any. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
