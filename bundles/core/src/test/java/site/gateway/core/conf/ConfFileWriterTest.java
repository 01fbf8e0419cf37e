package site.gateway.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationAdmin;

class ConfFileWriterTest {
    @TempDir
    Path conf;

    /** No configuration exists at activation. */
    private final ConfFileWriter writer = new ConfFileWriter((ConfigurationAdmin) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> null));

    @Test
    void aConsoleEditReachesTheFileByRenameAndAnUnchangedOneWritesNothing() throws Exception {
        Path file = conf.resolve("gateway.wms.cfg");
        Files.writeString(file, "# the WMS\nendpoints = https://a.example\nbatchMaxItems = 1000\n");
        writer.updated("gateway.wms", properties(file, "endpoints", "https://a.example", "batchMaxItems", "1000"));

        writer.updated("gateway.wms", properties(file, "endpoints", "https://b.example", "batchMaxItems", 500));

        assertThat(Files.readString(file)).isEqualTo("# the WMS\nendpoints = https\\://b.example\nbatchMaxItems = 500\n");
        long modified = Files.getLastModifiedTime(file).toMillis();
        Object inode = Files.readAttributes(file, "unix:ino").get("ino");
        writer.updated("gateway.wms", properties(file, "endpoints", "https://b.example", "batchMaxItems", "500"));
        assertThat(Files.getLastModifiedTime(file).toMillis()).as("nothing to write").isEqualTo(modified);
        assertThat(Files.readAttributes(file, "unix:ino").get("ino")).isEqualTo(inode);
        assertThat(Files.list(conf)).as("no temporary file left").containsExactly(file);
    }

    @Test
    void aNewFileIsReplacedNotRewrittenInPlace() throws Exception {
        Path file = conf.resolve("gateway.identity.cfg");
        Files.writeString(file, "tenantId = acme\n");
        writer.updated("gateway.identity", properties(file, "tenantId", "acme"));
        Object before = Files.readAttributes(file, "unix:ino").get("ino");

        writer.updated("gateway.identity", properties(file, "tenantId", "acme", "gatewayId", "gw-7"));

        assertThat(Files.readString(file)).isEqualTo("tenantId = acme\ngatewayId = gw-7\n");
        assertThat(Files.readAttributes(file, "unix:ino").get("ino")).as("a new file renamed over the old one")
                .isNotEqualTo(before);
    }

    @Test
    void aFileEditedAfterTheLastAgreementWinsOverAStaleEvent() throws Exception {
        Path file = conf.resolve("gateway.identity.cfg");
        Files.writeString(file, "tenantId = good\n");
        writer.updated("gateway.identity", properties(file, "tenantId", "good"));
        // The operator edits the file again before the event of the first change has been handled...
        Files.writeString(file, "tenantId = newer\n");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() + 1000));

        writer.updated("gateway.identity", properties(file, "tenantId", "good")); // ...which arrives now

        assertThat(Files.readString(file)).isEqualTo("tenantId = newer\n");
        writer.deleted("gateway.identity"); // a stale deletion does not remove the newer file either
        assertThat(file).exists();
    }

    @Test
    void aDeletedConfigurationDeletesItsFileAndOthersAreLeftAlone() throws Exception {
        Path file = conf.resolve("gateway.plc-line1.cfg");
        Files.writeString(file, "plcId = line1\n");
        writer.updated("gateway.plc~line1", properties(file, "plcId", "line1"));

        writer.deleted("gateway.plc~line1");
        writer.deleted("gateway.unknown");

        assertThat(file).doesNotExist();
        Dictionary<String, Object> noFile = new Hashtable<>();
        noFile.put("tenantId", "x");
        writer.updated("gateway.identity", noFile); // made in the console, not from a file: nothing to do
        assertThat(Files.list(conf)).isEmpty();
    }

    private static Dictionary<String, Object> properties(Path file, Object... keyValues) {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put(ConfFileWriter.FILENAME, file.toUri().toString());
        d.put("service.pid", "some.pid");
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        return d;
    }
}
