package site.gateway.core.bundles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class MissingBundlesTest {
    private static final List<String> EXPECTED = MissingBundles.parse(" site.gateway.api, site.gateway.core ,site.gateway.transport,");

    @Test
    void everyBundleActiveIsNoProblem() {
        assertThat(MissingBundles.of(EXPECTED, List.of(active("site.gateway.api"), active("site.gateway.core"),
                active("site.gateway.transport"), active("org.apache.felix.scr")))).isEmpty();
    }

    @Test
    void aBundleThatIsNotInstalledIsNamedWithItsJar() {
        assertThat(MissingBundles.of(EXPECTED, List.of(active("site.gateway.api"), active("site.gateway.core"))))
                .containsExactly("site.gateway.transport (not installed: no deploy/site.gateway.transport.jar)");
    }

    @Test
    void anUnresolvedBundleSaysWhatItLacks() {
        BundleState unresolved = new BundleState("site.gateway.transport", Bundle.INSTALLED, false, false, true,
                List.of("osgi.wiring.package (osgi.wiring.package=org.eclipse.jetty.client)"));
        assertThat(MissingBundles.of(EXPECTED, List.of(active("site.gateway.api"), active("site.gateway.core"), unresolved)))
                .containsExactly("site.gateway.transport (installed, not resolved: missing osgi.wiring.package"
                        + " (osgi.wiring.package=org.eclipse.jetty.client))");
    }

    @Test
    void resolvedButStoppedCountsAsMissingInTheOrderOfTheList() {
        assertThat(MissingBundles.of(EXPECTED, List.of(
                new BundleState("site.gateway.core", Bundle.RESOLVED, false, false, false, List.of()),
                new BundleState("site.gateway.api", Bundle.STOPPING, false, false, true, List.of()),
                active("site.gateway.transport"))))
                .containsExactly("site.gateway.api (stopping)", "site.gateway.core (resolved, not started)");
    }

    @Test
    void lazyStartingBundlesAndResolvedFragmentsAreUp() {
        assertThat(new BundleState("a", Bundle.STARTING, false, true, true, List.of()).isUp()).isTrue();
        assertThat(new BundleState("a", Bundle.STARTING, false, false, true, List.of()).isUp()).isFalse();
        assertThat(new BundleState("f", Bundle.RESOLVED, true, false, true, List.of()).isUp()).isTrue();
    }

    @Test
    void oneActiveCopyIsEnoughWhenTwoVersionsAreInstalled() {
        List<String> expected = List.of("site.gateway.api");
        assertThat(MissingBundles.of(expected, List.of(new BundleState("site.gateway.api", Bundle.INSTALLED, false, false, true, List.of()),
                active("site.gateway.api")))).isEmpty();
    }

    @Test
    void aBundleNotYetAskedToStartOrActivatingIsPendingNotMissing() {
        BundleState notYetStarted = new BundleState("site.gateway.transport", Bundle.INSTALLED, false, false, false, List.of());
        BundleState activating = new BundleState("site.gateway.core", Bundle.STARTING, false, false, true, List.of());
        List<BundleState> installed = List.of(active("site.gateway.api"), activating, notYetStarted);
        assertThat(MissingBundles.pending(EXPECTED, installed)).containsExactly("site.gateway.core", "site.gateway.transport");
        BundleState failedToResolve = new BundleState("site.gateway.transport", Bundle.INSTALLED, false, false, true, List.of());
        assertThat(MissingBundles.pending(EXPECTED, List.of(active("site.gateway.api"), active("site.gateway.core"), failedToResolve)))
                .isEmpty();
    }

    @Test
    void aBundleThatFailedToStartSaysSo() {
        assertThat(new BundleState("a", Bundle.RESOLVED, false, false, true, List.of()).describeProblem())
                .isEqualTo("resolved, failed to start");
    }

    @Test
    void noListMeansNothingToCheck() {
        assertThat(MissingBundles.parse(null)).isEmpty();
        assertThat(MissingBundles.parse(" , ")).isEmpty();
    }

    private static BundleState active(String name) {
        return new BundleState(name, Bundle.ACTIVE, false, false, true, List.of());
    }
}
