package site.gateway.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

/** Writes files into a watched folder the way an operator's tool does: whole, in one rename. */
final class ConfFiles {
    private ConfFiles() {
    }

    /**
     * Replaces {@code conf/<name>} atomically. FileInstall sees a change by name, length and modification
     * time only; a file of the same length written within one kernel clock tick (1-10 ms) of FileInstall's
     * own write-back would look unchanged, so the new file is dated at least one second after the old
     * one, as an operator's edit always is.
     */
    static void replace(Path home, String name, String content) throws IOException {
        Path target = home.resolve("conf").resolve(name);
        Path tmp = Files.createTempFile(home.resolve("data"), name, ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        if (Files.exists(target)) {
            long notBefore = Files.getLastModifiedTime(target).toMillis() + 1000;
            if (Files.getLastModifiedTime(tmp).toMillis() < notBefore) {
                Files.setLastModifiedTime(tmp, FileTime.fromMillis(notBefore));
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
