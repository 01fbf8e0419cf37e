package site.gateway.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Resolving the configured directory, and moving a closed buffer to another directory. */
final class StoreLocation {
    static final String HOME_PROPERTY = "gateway.home";

    private StoreLocation() {
    }

    static Path resolve(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("directory must not be empty");
        }
        Path p = Paths.get(configured.trim());
        if (p.isAbsolute()) {
            return p.normalize();
        }
        String home = System.getProperty(HOME_PROPERTY);
        Path base = home == null || home.isBlank() ? Paths.get("").toAbsolutePath() : Paths.get(home);
        return base.resolve(p).toAbsolutePath().normalize();
    }

    static boolean holdsBuffer(Path dir) {
        return Files.exists(dir.resolve(OutboxStore.FILE_NAME)) || Files.exists(dir.resolve(ReservationFile.NAME));
    }

    /**
     * Moves the files of a closed buffer from {@code from} to {@code to}. Copies first (forced to the
     * device), renames the copies into place, and only then deletes the originals, so that a failure at
     * any point leaves a complete buffer in one of the two places.
     */
    static void move(Path from, Path to) throws IOException {
        if (holdsBuffer(to)) {
            throw new IOException("target directory " + to + " already holds a buffer; not overwriting it");
        }
        Files.createDirectories(to);
        List<String> names = List.of(OutboxStore.FILE_NAME, ReservationFile.NAME);
        List<Path> copied = new ArrayList<>();
        try {
            for (String name : names) {
                Path src = from.resolve(name);
                if (!Files.exists(src)) {
                    continue;
                }
                Path tmp = to.resolve(name + ".moving");
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                copied.add(tmp);
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            for (Path tmp : copied) {
                String name = tmp.getFileName().toString().replace(".moving", "");
                Files.move(tmp, to.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            }
            ReservationFile.syncDirectory(to); // the renames are on the device before the originals go
        } catch (IOException e) {
            for (Path tmp : copied) {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(to.resolve(tmp.getFileName().toString().replace(".moving", "")));
            }
            throw e;
        }
        for (String name : names) {
            Files.deleteIfExists(from.resolve(name));
        }
        ReservationFile.syncDirectory(from);
    }
}
