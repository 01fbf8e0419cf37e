package site.gateway.httpstarter;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.thread.DaemonThreads;

/**
 * Starts Felix HTTP (the web console) on the port the operator chose, and only once that port is free.
 *
 * <p>Left to itself, Felix HTTP binds its built-in default (8080) as soon as it starts, before Config Admin
 * has delivered {@code conf/org.apache.felix.http.cfg}, fails if another program holds that port, and never
 * tries again. Here the launcher installs it unstarted and the framework property
 * {@code org.apache.felix.http.require.config=true} makes it wait for its configuration. This component
 * starts at the last start level, when FileInstall has read {@code conf/}; it makes sure a configuration
 * exists (an empty one when {@code conf/} has none, so the framework properties apply), works out the
 * endpoint, and starts the bundle when the port can be bound. A busy port gets one WARN naming it, and a
 * check every {@link #RETRY_MS} ms while the rest of the gateway runs.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public class HttpStarter implements ConfigurationListener {
    static final String PID = "org.apache.felix.http";
    static final String HTTP_BUNDLE = "org.apache.felix.http.jetty12";
    static final long RETRY_MS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(HttpStarter.class);

    private final BundleContext context;
    private final ConfigurationAdmin admin;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("http-starter"));
    // Touched on the executor's thread only.
    private boolean started;
    private HttpEndpoint warnedAbout;
    private ScheduledFuture<?> retry;

    @Activate
    public HttpStarter(BundleContext context, @Reference ConfigurationAdmin admin) {
        this.context = context;
        this.admin = admin;
        executor.execute(this::startWhenFree);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (!PID.equals(event.getPid()) || executor.isShutdown()) {
            return;
        }
        // Deleted (conf/org.apache.felix.http.cfg removed): back to the defaults rather than no console.
        executor.execute(event.getType() == ConfigurationEvent.CM_DELETED ? this::restoreDefaults : this::startWhenFree);
    }

    private void startWhenFree() {
        Bundle http = httpBundle();
        if (started || http == null) {
            return;
        }
        if ((http.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            started = true; // started by someone else (a test harness): its business
            return;
        }
        HttpEndpoint endpoint;
        try {
            endpoint = HttpEndpoint.of(configuration(), context::getProperty);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Cannot read the HTTP configuration ({}); the web console is not started", PID, e);
            return;
        }
        Optional<String> problem = endpoint.isFixedPort() ? PortProbe.problem(endpoint) : Optional.empty();
        if (problem.isPresent()) {
            if (!endpoint.equals(warnedAbout)) {
                warnedAbout = endpoint;
                LOG.warn("HTTP port {} of the web console is not available ({}): the gateway runs on without its"
                        + " console and starts it as soon as the port is free. Free the port, or choose another one:"
                        + " {} in conf/{}.cfg", endpoint, problem.get(), HttpEndpoint.PORT, PID);
            }
            scheduleRetry();
            return;
        }
        if (warnedAbout != null) {
            LOG.info("HTTP port {} is free now: starting the web console", endpoint);
        }
        cancelRetry();
        try {
            http.start();
            started = true;
        } catch (BundleException | IllegalStateException e) {
            LOG.error("Cannot start Felix HTTP ({}); the web console is not available", HTTP_BUNDLE, e);
        }
    }

    private void restoreDefaults() {
        try {
            configuration();
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Cannot restore the default HTTP configuration ({})", PID, e);
        }
        startWhenFree();
    }

    /** The configuration of Felix HTTP; an empty one (framework properties apply) when there is none. */
    private Dictionary<String, Object> configuration() throws IOException, InvalidSyntaxException {
        Configuration[] existing = admin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "=" + PID + ")");
        if (existing != null && existing.length > 0) {
            return existing[0].getProperties();
        }
        Configuration created = admin.getConfiguration(PID, null);
        created.update(new Hashtable<>());
        return created.getProperties();
    }

    private void scheduleRetry() {
        if (retry == null || retry.isDone()) {
            retry = executor.schedule(() -> {
                retry = null;
                startWhenFree();
            }, RETRY_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private Bundle httpBundle() {
        for (Bundle bundle : context.getBundles()) {
            if (HTTP_BUNDLE.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
