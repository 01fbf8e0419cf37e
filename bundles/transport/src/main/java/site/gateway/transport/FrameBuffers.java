package site.gateway.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrays for the batch frames of one WebSocket, used again once Jetty has written a frame. Why: during a
 * backlog drain a frame (about 1,000 messages, a few hundred KiB) stays queued in Jetty until it is deflated
 * and written, longer than the serial collector's young generation lives, so a fresh array per frame was
 * promoted and then collected by full collections, which took more of the drain's CPU than the session
 * thread. An array comes back only through {@link #written}, when Jetty is done with it; after a failed
 * write Jetty may still hold it, so {@link #abandoned} forgets it. With no frame in flight the free arrays
 * are let go: an idle link keeps none. Thread-safe (written callbacks run on Jetty's threads).
 */
final class FrameBuffers {
    private final int keep;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    /** Leased and not yet back, compared by identity (a few at most: the frames in flight). */
    private final List<byte[]> leased = new ArrayList<>();

    /** @param keep free arrays kept at most (the frames a link has in flight) */
    FrameBuffers(int keep) {
        this.keep = keep;
    }

    /** An array of at least {@code size} bytes; its content is undefined. */
    synchronized byte[] lease(int size) {
        byte[] b = free.poll();
        while (b != null && b.length < size) {
            b = free.poll(); // too small for this frame: dropped, a larger one replaces it
        }
        if (b == null) {
            b = new byte[size + (size >> 3)]; // an eighth more: the next, slightly longer frames of a drain fit too
        }
        leased.add(b);
        return b;
    }

    /** Jetty wrote the frame held in {@code b}: it may be leased again. An array not leased here is ignored. */
    synchronized void written(byte[] b) {
        if (release(b) && free.size() < keep && !leased.isEmpty()) {
            free.push(b);
        }
    }

    /** The write of the frame in {@code b} failed: it is not used again (Jetty may still refer to it). */
    synchronized void abandoned(byte[] b) {
        release(b);
    }

    /** Free arrays held, for tests. */
    synchronized int freeCount() {
        return free.size();
    }

    private boolean release(byte[] b) {
        for (int i = 0; i < leased.size(); i++) {
            if (leased.get(i) == b) {
                leased.remove(i);
                if (leased.isEmpty()) {
                    free.clear();
                }
                return true;
            }
        }
        return false;
    }
}
