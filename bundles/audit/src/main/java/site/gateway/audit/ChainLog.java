package site.gateway.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import site.gateway.audit.AuditWriter.Pending;

/**
 * The trail's files on disk: appends chained lines, rotates by size carrying the chain into the next
 * file, applies retention and recovers from a crash (a partial last line is cut off). Entries are
 * buffered by {@link #append} and written by {@link #flush}; the chain state only advances for what
 * reached the file. Used by the writer thread only.
 */
final class ChainLog implements Closeable {

    /** What {@link #open} found: a partial last line it cut off (crash while writing), or nothing. */
    record Recovery(String file, long truncatedBytes) {
    }

    /** A file removed by retention, with the seq range it held. */
    record Removed(String file, long fromSeq, long toSeq) {
    }

    private static final class Bytes extends ByteArrayOutputStream {
        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private final Consumer<String> warn;
    private final EntryFormat format;
    private final Bytes buffer = new Bytes();
    private final List<Pending> unflushed = new ArrayList<>();
    private final List<Removed> removed = new ArrayList<>();

    private FileChannel channel;
    private Path current;
    private long fileSize;
    private long seq;
    private String prev = ChainHash.GENESIS;
    private long bufferedSeq;
    private String bufferedPrev = ChainHash.GENESIS;
    private boolean unsynced;
    private volatile long flushed;

    ChainLog(Path dir, long maxFileBytes, int maxFiles, MacKey macKey, Consumer<String> warn) {
        this.format = new EntryFormat(macKey);
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        this.warn = warn;
    }

    /**
     * Opens the newest file for appending and takes the chain state from the disk, or from
     * {@code knownSeq}/{@code knownPrev} (what this process wrote before) when the disk holds less.
     */
    Recovery open(long knownSeq, String knownPrev) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = TrailFiles.list(dir);
        Recovery recovery = null;
        long diskSeq = 0;
        String diskPrev = ChainHash.GENESIS;
        current = null;
        if (!files.isEmpty()) {
            current = files.get(files.size() - 1);
            recovery = cutPartialLine(current);
            for (int i = files.size() - 1; i >= 0; i--) {
                long[] seqOut = new long[1];
                String hash = lastLineHash(files.get(i), seqOut);
                if (hash != null) {
                    diskSeq = seqOut[0];
                    diskPrev = hash;
                    break;
                }
            }
        }
        seq = Math.max(diskSeq, knownSeq);
        prev = diskSeq >= knownSeq ? diskPrev : knownPrev;
        if (current == null) {
            current = dir.resolve(TrailFiles.name(seq + 1));
        }
        channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        fileSize = channel.size();
        bufferedSeq = seq;
        bufferedPrev = prev;
        return recovery;
    }

    /** Entries written to the files since this object was created (readable from any thread). */
    long flushed() {
        return flushed;
    }

    boolean isOpen() {
        return channel != null;
    }

    /** Seq of the last entry on disk (0 if none). */
    long seq() {
        return seq;
    }

    /** SHA-256 of the last line on disk. */
    String prev() {
        return prev;
    }

    Path directory() {
        return dir;
    }

    /** Chains the entry to the previous one and buffers it; may flush and rotate first. */
    void append(Pending entry) throws IOException {
        String line = format.line(entry.ts(), bufferedSeq + 1, entry.event(), bufferedPrev);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        long pendingSize = fileSize + buffer.size();
        if (pendingSize > 0 && pendingSize + bytes.length + 1 > maxFileBytes) {
            flush();
            rotate();
        }
        buffer.write(bytes);
        buffer.write('\n');
        unflushed.add(entry);
        bufferedSeq++;
        bufferedPrev = format.sha256Hex(bytes);
    }

    /** Writes the buffered lines to the file (the OS's cache; see {@link #sync}). */
    void flush() throws IOException {
        if (buffer.size() == 0) {
            return;
        }
        ByteBuffer data = buffer.view();
        while (data.hasRemaining()) {
            channel.write(data);
        }
        fileSize += buffer.size();
        buffer.reset();
        flushed += unflushed.size();
        unflushed.clear();
        seq = bufferedSeq;
        prev = bufferedPrev;
        unsynced = true;
    }

    /** Forces written lines to the device. */
    void sync() throws IOException {
        if (unsynced && channel != null) {
            channel.force(false);
            unsynced = false;
        }
    }

    boolean unsynced() {
        return unsynced;
    }

    /**
     * After a failed write: closes the file and hands back the buffered entries not known to be on
     * disk, in order, for a later retry. The next {@link #open} cuts off any partial line.
     */
    List<Pending> abandon() {
        List<Pending> back = new ArrayList<>(unflushed);
        unflushed.clear();
        buffer.reset();
        bufferedSeq = seq;
        bufferedPrev = prev;
        closeQuietly();
        return back;
    }

    /** Files removed by retention since the last call. */
    List<Removed> drainRemoved() {
        List<Removed> out = List.copyOf(removed);
        removed.clear();
        return out;
    }

    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            flush();
            sync();
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                warn.accept("closing " + current + ": " + e);
            }
            channel = null;
        }
    }

    private void rotate() throws IOException {
        sync();
        closeQuietly();
        current = dir.resolve(TrailFiles.name(seq + 1));
        channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        fileSize = channel.size();
        applyRetention();
    }

    private void applyRetention() {
        if (maxFiles <= 0) {
            return;
        }
        try {
            List<Path> files = new ArrayList<>(TrailFiles.list(dir));
            while (files.size() > maxFiles && !files.get(0).equals(current)) {
                Path oldest = files.remove(0);
                long to = TrailFiles.firstSeq(files.get(0)) - 1;
                Files.deleteIfExists(oldest);
                removed.add(new Removed(oldest.getFileName().toString(), TrailFiles.firstSeq(oldest), to));
            }
        } catch (IOException e) {
            warn.accept("retention in " + dir + " failed: " + e);
        }
    }

    /** Cuts off bytes after the last newline: a line a crash left half-written. */
    private Recovery cutPartialLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(8192);
            // scan backwards for the last newline
            long pos = size;
            outer:
            while (pos > 0) {
                int len = (int) Math.min(one.capacity(), pos);
                pos -= len;
                one.clear().limit(len);
                ch.read(one, pos);
                for (int i = len - 1; i >= 0; i--) {
                    if (one.get(i) == '\n') {
                        keep = pos + i + 1;
                        break outer;
                    }
                }
                keep = 0;
            }
            if (keep == size) {
                return null;
            }
            ch.truncate(keep);
            ch.force(true);
            return new Recovery(file.getFileName().toString(), size - keep);
        }
    }

    /** SHA-256 of the file's last line and (in seqOut) its seq; null when the file has no line. */
    private String lastLineHash(Path file, long[] seqOut) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int end = all.length - 1; // index of the final newline
        if (end < 0) {
            return null;
        }
        int start = end;
        while (start > 0 && all[start - 1] != '\n') {
            start--;
        }
        byte[] line = Arrays.copyOfRange(all, start, end);
        ChainHash.Parsed parsed = ChainHash.parse(new String(line, StandardCharsets.UTF_8));
        if (parsed == null) {
            warn.accept("last line of " + file + " is not an audit entry; continuing the chain from it");
            seqOut[0] = Math.max(seq, TrailFiles.firstSeq(file) - 1) + 1;
        } else {
            seqOut[0] = parsed.seq();
        }
        return format.sha256Hex(line);
    }
}
