package site.gateway.support.plcdriver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/** For the drivers' tests (test-jar): one read of name/address pairs that every tag must answer OK. */
public final class DriverReads {
    private DriverReads() {
    }

    public static PlcReadResponse read(PlcConnection connection, long timeoutMs, String... nameAddress) throws Exception {
        PlcReadRequest.Builder builder = connection.readRequestBuilder();
        for (int i = 0; i < nameAddress.length; i += 2) {
            builder.addTagAddress(nameAddress[i], nameAddress[i + 1]);
        }
        PlcReadResponse response = builder.build().execute().get(timeoutMs, TimeUnit.MILLISECONDS);
        for (String tag : response.getTagNames()) {
            assertThat(response.getResponseCode(tag)).as(tag).isEqualTo(PlcResponseCode.OK);
        }
        return response;
    }

    /** The tag's value as a Java object. */
    public static Object value(PlcReadResponse response, String tag) {
        return response.getPlcValue(tag).getObject();
    }
}
