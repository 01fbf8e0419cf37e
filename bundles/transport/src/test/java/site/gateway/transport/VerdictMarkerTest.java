package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import site.gateway.api.wms.WmsCertificateVerdict;
import site.gateway.testsupport.ServiceRecorder;

/** Issue 17.2: the WMS's verdict is one marker service, registered once and updated in place. */
class VerdictMarkerTest {
    final ServiceRecorder framework = new ServiceRecorder();

    @Test
    void registeredAtTheFirstVerdictThenUpdatedInPlace() {
        VerdictMarker marker = new VerdictMarker(framework.context());
        marker.verdict(1, true, null);
        marker.verdict(1, true, null); // the same verdict again: a registration over the same context
        marker.verdict(2, false, "register answered 401");
        marker.verdict(3, true, null);
        marker.unregister();
        marker.unregister();
        assertThat(framework.calls()).extracting(Object::toString).containsExactly(
                "register {accepted=true, tlsGeneration=1}",
                "update {accepted=false, reason=register answered 401, tlsGeneration=2}",
                "update {accepted=true, tlsGeneration=3}",
                "unregister");
        assertThat(framework.calls()).allSatisfy(c -> assertThat(c.type()).isEqualTo(WmsCertificateVerdict.class));
    }

    @Test
    void withoutAFrameworkNothingIsRegistered() {
        VerdictMarker marker = new VerdictMarker(null);
        marker.verdict(1, false, null);
        marker.unregister();
        assertThat(framework.calls()).isEmpty();
    }
}
