package site.gateway.support.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
    @Test
    void makesNamedDaemonsThatRunTheirTask() throws InterruptedException {
        boolean[] ran = {false};
        Thread thread = DaemonThreads.named("gateway-test").newThread(() -> ran[0] = true);

        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).isEqualTo("gateway-test");
        thread.start();
        thread.join();
        assertThat(ran[0]).isTrue();
    }
}
