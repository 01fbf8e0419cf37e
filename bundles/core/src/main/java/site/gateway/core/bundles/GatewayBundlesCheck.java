package site.gateway.core.bundles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.status.GatewayStatus;
import site.gateway.support.thread.DaemonThreads;

/**
 * Checks that every bundle of the gateway itself (framework property {@code gateway.bundles}, written by
 * the build) is active. A home that lacks one, or holds one that does not resolve, would otherwise run a
 * partial gateway and say nothing: here it gets one ERROR naming each missing bundle and why, and the
 * gateway reports {@code degraded} (status, heartbeat, web console) until they are all active again.
 *
 * <p>Bundles come and go during start and while FileInstall updates {@code deploy/}, so the check runs
 * once the framework has started and bundle events have been quiet for {@link #SETTLE_MS} ms, and waits
 * (up to {@link #START_GRACE_MS} ms) while a gateway bundle is still on its way up: FileInstall starts
 * them one after the other, and one activation may take seconds.
 */
@Component(immediate = true)
public class GatewayBundlesCheck implements BundleListener {
    static final String EXPECTED = "gateway.bundles";
    static final String SOURCE = "bundles";
    static final long SETTLE_MS = 3000;
    /** However busy deploy/ is, a check runs at least this often while one is pending. */
    private static final long MAX_POSTPONE_MS = 15_000;
    /** How long a bundle may stay on its way up (not yet asked to start, or activating) before it counts as missing. */
    static final long START_GRACE_MS = 120_000;
    private static final Logger LOG = LoggerFactory.getLogger(GatewayBundlesCheck.class);

    private final BundleContext context;
    private final GatewayStatus status;
    private final List<String> expected;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-bundles-check"));
    /** When a gateway bundle was first seen on its way up, in this stretch; 0 while none is. Executor thread only. */
    private long onTheWaySince;
    private ScheduledFuture<?> pending;
    private long pendingSince;
    /** The problems last reported; null before the first check. Executor thread only. */
    private List<String> reported;

    @Activate
    public GatewayBundlesCheck(BundleContext context, @Reference GatewayStatus status) {
        this.context = context;
        this.status = status;
        this.expected = MissingBundles.parse(context.getProperty(EXPECTED));
        String deployWatcher = context.getProperty("gateway.deploy.watcher");
        if (deployWatcher != null) {
            LOG.info("deploy/ is watched by {} (from an earlier version); the built-in watch of etc/framework.properties"
                    + " leaves deploy/ to it. Delete that file while the gateway is stopped to use the built-in watch.",
                    deployWatcher);
        }
        if (expected.isEmpty()) {
            LOG.debug("No {} framework property: the gateway's bundles are not checked", EXPECTED);
            return;
        }
        context.addBundleListener(this);
        schedule();
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        executor.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        schedule();
    }

    private synchronized void schedule() {
        long now = System.nanoTime();
        if (pending != null && !pending.isDone()) {
            if (now - pendingSince > TimeUnit.MILLISECONDS.toNanos(MAX_POSTPONE_MS) || !pending.cancel(false)) {
                return; // runs soon anyway
            }
        } else {
            pendingSince = now;
        }
        if (!executor.isShutdown()) {
            pending = executor.schedule(this::check, SETTLE_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        if (context.getBundle(0).getState() != Bundle.ACTIVE) {
            schedule(); // the framework is still starting
            return;
        }
        List<String> problems;
        try {
            List<BundleState> installed = installed();
            if (MissingBundles.pending(expected, installed).isEmpty()) {
                onTheWaySince = 0;
            } else {
                long now = System.nanoTime();
                onTheWaySince = onTheWaySince == 0 ? now : onTheWaySince;
                if (now - onTheWaySince < TimeUnit.MILLISECONDS.toNanos(START_GRACE_MS)) {
                    schedule(); // still starting up: judge once they got their chance
                    return;
                }
            }
            problems = MissingBundles.of(expected, installed);
        } catch (IllegalStateException stopping) {
            return; // this bundle is being stopped
        }
        if (problems.equals(reported)) {
            return;
        }
        if (problems.isEmpty()) {
            LOG.info("All {} gateway bundles are active", expected.size());
            status.report(SOURCE, null);
        } else {
            LOG.error("Gateway bundles not active: {}. The gateway runs without them; put the distribution's"
                    + " deploy/ jars into this home's deploy/ (docs/operations.md)", String.join("; ", problems));
            status.report(SOURCE, "not active: " + String.join("; ", problems));
        }
        reported = problems;
    }

    private List<BundleState> installed() {
        Bundle[] bundles = context.getBundles();
        List<BundleState> states = new ArrayList<>();
        for (Bundle bundle : bundles) {
            if (bundle.getSymbolicName() == null) {
                continue;
            }
            boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            boolean lazy = Constants.ACTIVATION_LAZY.equals(
                    String.valueOf(bundle.getHeaders("").get(Constants.BUNDLE_ACTIVATIONPOLICY)).split(";")[0].trim());
            List<String> unmet = bundle.getState() == Bundle.INSTALLED && expected.contains(bundle.getSymbolicName())
                    ? unmetRequirements(bundle, bundles) : List.of();
            BundleStartLevel startLevel = bundle.adapt(BundleStartLevel.class);
            boolean startRequested = startLevel != null && startLevel.isPersistentlyStarted();
            states.add(new BundleState(bundle.getSymbolicName(), bundle.getState(), fragment, lazy, startRequested, unmet));
        }
        return states;
    }

    /** The mandatory requirements of an unresolved bundle that no installed bundle offers to satisfy. */
    private static List<String> unmetRequirements(Bundle bundle, Bundle[] all) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of();
        }
        List<String> unmet = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            Map<String, String> directives = requirement.getDirectives();
            if (Namespace.RESOLUTION_OPTIONAL.equals(directives.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))
                    || !Namespace.EFFECTIVE_RESOLVE.equals(directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE,
                            Namespace.EFFECTIVE_RESOLVE))
                    || IdentityNamespace.IDENTITY_NAMESPACE.equals(requirement.getNamespace())) {
                continue;
            }
            if (!offeredByAny(requirement, all)) {
                unmet.add(requirement.getNamespace() + " " + directives.getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, ""));
            }
        }
        return unmet;
    }

    private static boolean offeredByAny(BundleRequirement requirement, Bundle[] all) {
        for (Bundle other : all) {
            BundleRevision revision = other.adapt(BundleRevision.class);
            if (revision == null) {
                continue;
            }
            for (BundleCapability capability : revision.getDeclaredCapabilities(requirement.getNamespace())) {
                if (requirement.matches(capability)) {
                    return true;
                }
            }
        }
        return false;
    }
}
