package site.gateway.support.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class BasicCredentialsTest {
    private static String basic(String scheme, String userAndPassword) {
        return scheme + " " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColonWhateverTheSchemesCase() {
        assertThat(BasicCredentials.of(basic("Basic", "admin:pa:ss"))).isEqualTo(new BasicCredentials("admin", "pa:ss"));
        assertThat(BasicCredentials.of(basic("bASIC", "admin:"))).isEqualTo(new BasicCredentials("admin", ""));
    }

    @Test
    void withoutAColonTheWholeTextIsTheUserAndThereIsNoPassword() {
        assertThat(BasicCredentials.of(basic("Basic", "admin"))).isEqualTo(new BasicCredentials("admin", null));
    }

    @Test
    void nothingForAnAbsentForeignOrUndecodableHeader() {
        assertThat(BasicCredentials.of(null)).isNull();
        assertThat(BasicCredentials.of("Basic")).isNull();
        assertThat(BasicCredentials.of("Bearer abc.def")).isNull();
        assertThat(BasicCredentials.of("Basic %%%not-base64")).isNull();
    }
}
