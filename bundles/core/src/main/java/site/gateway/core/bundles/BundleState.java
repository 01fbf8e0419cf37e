package site.gateway.core.bundles;

import java.util.List;

import org.osgi.framework.Bundle;

/**
 * What the check needs to know of one installed bundle.
 *
 * @param symbolicName its Bundle-SymbolicName
 * @param state its OSGi state ({@link Bundle#ACTIVE} etc.)
 * @param fragment a fragment, which is never started (resolved is all it can be)
 * @param lazy started with a lazy activation policy, so STARTING is as good as ACTIVE
 * @param startRequested someone (FileInstall) has asked the framework to start it (persistently started)
 * @param unmetRequirements mandatory requirements no installed bundle can satisfy (why it does not resolve)
 */
record BundleState(String symbolicName, int state, boolean fragment, boolean lazy, boolean startRequested,
        List<String> unmetRequirements) {

    boolean isUp() {
        return state == Bundle.ACTIVE
                || (lazy && state == Bundle.STARTING)
                || (fragment && state == Bundle.RESOLVED);
    }

    /**
     * On its way up: installed but not yet asked to start (FileInstall starts one bundle after the other,
     * and one activation may take seconds), or activating right now.
     */
    boolean isPending() {
        return !isUp() && ((!startRequested && (state == Bundle.INSTALLED || state == Bundle.RESOLVED))
                || state == Bundle.STARTING);
    }

    String describeProblem() {
        return switch (state) {
            case Bundle.INSTALLED -> unmetRequirements.isEmpty()
                    ? "installed, not resolved (a bundle it needs is not resolved)"
                    : "installed, not resolved: missing " + String.join(", ", unmetRequirements);
            case Bundle.RESOLVED -> startRequested ? "resolved, failed to start" : "resolved, not started";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }
}
