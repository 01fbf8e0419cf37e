package site.gateway.transport;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** The installed bundles and the gateway version, for the register body (§2.1 {@code software}). */
class BundleInventory {
    /** One bundle as reported to the WMS. */
    record Entry(String symbolicName, String version, String state) {
    }

    private final BundleContext context;

    BundleInventory(BundleContext context) {
        this.context = context;
    }

    /** The gateway's version: framework property {@code gateway.version}, else this bundle's version. */
    String version() {
        String v = context.getProperty("gateway.version");
        return v != null && !v.isBlank() ? v : context.getBundle().getVersion().toString();
    }

    List<Entry> bundles() {
        List<Entry> result = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            result.add(new Entry(name == null ? b.getLocation() : name, b.getVersion().toString(), stateName(b.getState())));
        }
        return result;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "UNKNOWN";
        };
    }
}
