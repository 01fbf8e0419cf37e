package site.gateway.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an accepted command ended: the {@code status}, {@code result} and {@code error} of its command.result. */
record Outcome(Status status, ObjectNode result, String error) {

    enum Status {
        SUCCEEDED("succeeded"), FAILED("failed"), TIMED_OUT("timed-out"), EXPIRED("expired");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    static Outcome succeeded(ObjectNode result) {
        return new Outcome(Status.SUCCEEDED, result, null);
    }

    static Outcome unsuccessful(Status status, ObjectNode result, String error) {
        return new Outcome(status, result, error);
    }

    /**
     * A command accepted before a crash (or a stop that could not finish it) that has no result: what happened is
     * unknown, so no {@code result}, and an error that says so. The kind was not recorded, nor is it needed.
     */
    static Outcome interrupted(String plcId) {
        String target = PayloadValidator.GATEWAY.equals(plcId) ? "whether the configuration was updated"
                : "whether it reached the PLC";
        return new Outcome(Status.FAILED, null, "the gateway restarted before the command finished; " + target
                + " is unknown (it may have partly run)");
    }
}
