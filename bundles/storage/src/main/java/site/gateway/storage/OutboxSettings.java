package site.gateway.storage;

import java.nio.file.Path;

/** A validated {@link OutboxConfig}. */
record OutboxSettings(Path directory, Limits limits, int highWaterPercent) {

    static OutboxSettings from(OutboxConfig c) {
        if (c.highWaterPercent() < 1 || c.highWaterPercent() > 100) {
            throw new IllegalArgumentException("highWaterPercent must be 1..100, not " + c.highWaterPercent());
        }
        return new OutboxSettings(StoreLocation.resolve(c.directory()),
                new Limits(c.maxBytes(), FullPolicy.parse(c.whenFull()), c.syncIntervalMs()), c.highWaterPercent());
    }

    OutboxSettings withDirectory(Path dir) {
        return new OutboxSettings(dir, limits, highWaterPercent);
    }

    String describe() {
        return "directory=" + directory + " maxBytes=" + limits.maxBytes() + " whenFull="
                + limits.whenFull().configName() + " syncIntervalMs=" + limits.syncIntervalMs()
                + " highWaterPercent=" + highWaterPercent;
    }
}
