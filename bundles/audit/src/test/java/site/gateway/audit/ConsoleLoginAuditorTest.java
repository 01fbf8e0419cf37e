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
    void refusedAttemptsAreEachRecordedAndSuccessOncePerIdlePeriodWithoutThePassword() {
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
        assertThat(recorded.subList(0, 2)).allSatisfy(r -> assertThat(r)
                .startsWith("operator:admin console.login 127.0.0.1 rejected").contains("status=401", "user=admin"));
        assertThat(recorded.subList(2, 4)).containsOnly("operator:admin console.login 127.0.0.1 ok {user=admin}");
        assertThat(String.join("\n", recorded)).doesNotContain("s3cret");
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
