package site.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ConsoleLoginAuditorTest {
    final List<String> recorded = new CopyOnWriteArrayList<>();
    final AtomicLong now = new AtomicLong(1_000_000);
    final ConsoleLoginAuditor auditor = new ConsoleLoginAuditor(
            (actor, action, target, outcome, details) -> recorded.add(actor + " " + action + " " + target + " " + outcome
                    + " " + details), now::get);

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFirstRefusedAttemptIsRecordedAndSuccessOncePerIdlePeriodWithoutThePassword() {
        auditor.observe("/system/console/bundles", null, "127.0.0.1", 401); // challenge only
        auditor.observe("/system/console/bundles", basic("admin", "wrong-s3cret"), "127.0.0.1", 401);
        auditor.observe("/system/console/bundles", basic("admin", "wrong-s3cret"), "127.0.0.1", 401);
        auditor.observe("/system/console/bundles", basic("admin", "right-s3cret"), "127.0.0.1", 200);
        auditor.observe("/system/console/configMgr", basic("admin", "right-s3cret"), "127.0.0.1", 200);
        now.addAndGet(ConsoleLoginAuditor.IDLE_MS - 1);
        auditor.observe("/system/console/res/ui.css", basic("admin", "right-s3cret"), "127.0.0.1", 304);
        now.addAndGet(ConsoleLoginAuditor.IDLE_MS + 1);
        auditor.observe("/system/console/bundles", basic("admin", "right-s3cret"), "127.0.0.1", 200);
        auditor.observe("/other/servlet", basic("admin", "x"), "127.0.0.1", 401);

        assertThat(recorded).hasSize(4);
        assertThat(recorded.get(0)).startsWith("operator:admin console.login 127.0.0.1 rejected").contains("status=401", "user=admin");
        assertThat(recorded.get(1)).isEqualTo("operator:admin console.login 127.0.0.1 ok {user=admin}");
        assertThat(recorded.get(2)).startsWith("system console.login-failures 127.0.0.1 rejected").contains("count=1");
        assertThat(recorded.get(3)).isEqualTo("operator:admin console.login 127.0.0.1 ok {user=admin}");
        assertThat(String.join("\n", recorded)).doesNotContain("s3cret");
    }

    /** Issue 13 point 1: a password guesser produces a bounded number of entries, not one per guess. */
    @Test
    void aThousandFailedLoginsAreAggregatedIntoTwoEntries() {
        for (int i = 0; i < 1000; i++) {
            auditor.observe("/system/console/bundles", basic("admin\u001b[31m" + (i % 3), "guess" + i), "10.0.0.66", i < 10 ? 401 : 429);
            now.addAndGet(100);
        }
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0)).contains("console.login 10.0.0.66 rejected").doesNotContain("\u001b");
        auditor.deactivate();
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1)).startsWith("system console.login-failures 10.0.0.66 rejected").contains("count=999");
    }

    @Test
    void malformedCredentialsAreIgnored() {
        assertThat(ConsoleLoginAuditor.basicUser("Basic !!!notbase64")).isNull();
        assertThat(ConsoleLoginAuditor.basicUser("Bearer abc")).isNull();
        assertThat(ConsoleLoginAuditor.basicUser(basic("op", "pw"))).isEqualTo("op");
        assertThat(ConsoleLoginAuditor.basicUser("basic " + Base64.getEncoder().encodeToString("solo".getBytes())))
                .isEqualTo("solo");
    }
}
