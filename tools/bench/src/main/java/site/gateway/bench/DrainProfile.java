package site.gateway.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Optional: async-profiler attached to the gateway for the drain only ({@code -Dprofile.agent=<libasyncProfiler.so>
 * -Dprofile.out=<file.collapsed>}, {@code -Dprofile.event=alloc} for allocations), through {@code jcmd JVMTI.agent_load} (the options quoted: jcmd would
 * take {@code a=b} for its own argument). Absent properties: does nothing.
 */
final class DrainProfile {
    private static final String AGENT = System.getProperty("profile.agent");
    private static final String OUT = System.getProperty("profile.out");
    /** cpu (default), alloc, lock, ... as async-profiler names them. */
    private static final String EVENT = System.getProperty("profile.event", "cpu");

    private DrainProfile() {
    }

    static void start(long pid) throws IOException, InterruptedException {
        agent(pid, "start,event=" + EVENT + ("cpu".equals(EVENT) ? ",interval=1ms" : "") + ",threads");
    }

    static void stop(long pid) throws IOException, InterruptedException {
        agent(pid, "stop,collapsed,file=" + OUT);
    }

    private static void agent(long pid, String options) throws IOException, InterruptedException {
        if (AGENT == null || OUT == null) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load", AGENT, "\"" + options + "\"")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " JVMTI.agent_load " + options + " failed");
        }
    }
}
