package site.gateway.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import site.gateway.api.audit.AuditTrail;

/** Audits every bundle install, update, uninstall, start and stop. */
@Component(immediate = true, service = {})
public class BundleAuditor implements BundleListener {
    private final AuditTrail audit;
    private final BundleContext context;

    @Activate
    public BundleAuditor(@Reference AuditTrail audit, BundleContext context) {
        this.audit = audit;
        this.context = context;
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String action = action(event.getType());
        if (action == null) {
            return; // resolved, starting, stopping...: not operations anyone asked for
        }
        Bundle bundle = event.getBundle();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bundleId", bundle.getBundleId());
        details.put("version", String.valueOf(bundle.getVersion()));
        details.put("location", bundle.getLocation());
        Bundle origin = event.getOrigin();
        String actor = origin == null || origin.getBundleId() == 0 || origin.equals(bundle) ? "system"
                : String.valueOf(origin.getSymbolicName());
        audit.record(actor, action, String.valueOf(bundle.getSymbolicName()), "ok", details);
    }

    static String action(int type) {
        return switch (type) {
            case BundleEvent.INSTALLED -> "bundle.installed";
            case BundleEvent.UPDATED -> "bundle.updated";
            case BundleEvent.UNINSTALLED -> "bundle.uninstalled";
            case BundleEvent.STARTED -> "bundle.started";
            case BundleEvent.STOPPED -> "bundle.stopped";
            default -> null;
        };
    }
}
