package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostnameMatcherTest {
    @Test
    void wildcardOnlyCoversOneLeftMostLabel() {
        assertThat(HostnameMatcher.dnsMatches("wms-a.example.com", "*.example.com")).isTrue();
        assertThat(HostnameMatcher.dnsMatches("WMS-A.Example.COM.", "*.example.com")).isTrue();
        assertThat(HostnameMatcher.dnsMatches("a.b.example.com", "*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("example.com", "*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("example.com", "*.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("wms.example.com", "wms.example.com")).isTrue();
        assertThat(HostnameMatcher.dnsMatches("wms.example.com.evil", "wms.example.com")).isFalse();
    }

    @Test
    void ipLiteralsAreRecognised() {
        assertThat(HostnameMatcher.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(HostnameMatcher.isIpLiteral("::1")).isTrue();
        assertThat(HostnameMatcher.isIpLiteral("localhost")).isFalse();
    }
}
