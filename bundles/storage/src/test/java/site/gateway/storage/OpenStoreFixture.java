package site.gateway.storage;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A store in a temporary directory, closed after each test (tests that open one store at a time). */
abstract class OpenStoreFixture {
    @TempDir
    Path dir;
    OutboxStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }
}
