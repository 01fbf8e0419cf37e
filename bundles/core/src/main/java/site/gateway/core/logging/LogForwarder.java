package site.gateway.core.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the OSGi log (where SCR, Config Admin and FileInstall report problems such as an
 * unreadable {@code .cfg} or a bundle that does not resolve) to SLF4J, so it lands in
 * {@code logs/gateway.log}. Entries logged before this component started are replayed once.
 */
@Component(immediate = true)
public class LogForwarder implements LogListener {
    private final LogReaderService reader;

    @Activate
    public LogForwarder(@Reference LogReaderService reader) {
        this.reader = reader;
        List<LogEntry> earlier = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements(); ) {
            earlier.add(e.nextElement());
        }
        Collections.reverse(earlier); // getLog() is newest first
        earlier.forEach(this::logged);
        reader.addLogListener(this);
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    @Override
    public void logged(LogEntry entry) {
        // Entries carrying one of our bundles come from SCR or Config Admin acting for it (an activate
        // method that threw, a circular reference): our own code logs through SLF4J, never here.
        String source = entry.getBundle() == null ? "osgi" : entry.getBundle().getSymbolicName();
        if (isLifecycleNoise(entry)) {
            return;
        }
        Logger logger = LoggerFactory.getLogger("osgi." + source);
        Throwable error = entry.getException();
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> logger.error(entry.getMessage(), error);
            case WARN -> logger.warn(entry.getMessage(), error);
            case INFO -> logger.info(entry.getMessage(), error);
            default -> logger.debug(entry.getMessage(), error);
        }
    }

    /** The log service records every bundle and service event at INFO/DEBUG; the audit trail keeps those. */
    private static boolean isLifecycleNoise(LogEntry entry) {
        String message = entry.getMessage();
        boolean event = message != null && (message.startsWith("ServiceEvent ") || message.startsWith("BundleEvent ")
                || message.startsWith("FrameworkEvent "));
        // implies(INFO): INFO or more verbose
        return event && entry.getException() == null && entry.getLogLevel().implies(LogLevel.INFO);
    }
}
