package site.gateway.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequireTest {
    @Test
    void valuesWithinTheirBoundsPassThrough() {
        assertThat(Require.atLeast("queueCapacity", 1, 1)).isEqualTo(1);
        assertThat(Require.atLeast("maxFileBytes", 4096L, 4096)).isEqualTo(4096L);
        assertThat(Require.notNegative("clockSkewSeconds", 0)).isZero();
        assertThat(Require.notBlank("directory", "data")).isEqualTo("data");
    }

    @Test
    void aValueOutOfBoundsIsRefusedWithAMessageNamingTheSetting() {
        assertThatThrownBy(() -> Require.atLeast("queueCapacity", 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queueCapacity must be at least 1, got 0");
        assertThatThrownBy(() -> Require.atLeast("maxFileBytes", 100L, 4096)).hasMessage("maxFileBytes must be at least 4096, got 100");
        assertThatThrownBy(() -> Require.notNegative("clockSkewSeconds", -1)).hasMessage("clockSkewSeconds must not be negative, got -1");
        assertThatThrownBy(() -> Require.notBlank("directory", " ")).hasMessage("directory must not be empty");
        assertThatThrownBy(() -> Require.notBlank("directory", null)).hasMessage("directory must not be empty");
    }
}
