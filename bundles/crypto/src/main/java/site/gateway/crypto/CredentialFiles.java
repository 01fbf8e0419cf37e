package site.gateway.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the client key and certificate live, and the crash-safe protocol that replaces them.
 *
 * <p>Files: {@code gateway.crt}/{@code gateway.key} (current), {@code *.new} (a renewed pair),
 * {@code gateway.crt.prev} (the certificate before the last committed rotation; the retired private key
 * is not kept) and the journal {@code gateway.key.rotation}
 * whose atomic writes are the only switch points:
 * <ul>
 * <li>no journal: the current pair is active (stray {@code .new} files are ignored);</li>
 * <li>{@code pending}: both {@code .new} files were written before the journal, the new pair is on trial;</li>
 * <li>{@code committing}: the new pair was confirmed; per file, {@code .new} if it still exists, else the
 * current file, is the new one, so an interrupted commit still yields the new pair and is finished on the
 * next start.</li>
 * </ul>
 * Killing the process at any point therefore leaves either the old or the new pair in force.
 */
public final class CredentialFiles {
    public enum State { NONE, PENDING, COMMITTING }

    /** The journal: state and when the pending pair was installed (epoch ms). */
    public record Journal(State state, long since) {
    }

    /** The pair to use now. */
    public record Active(Path certificate, Path key, boolean pending) {
    }

    /** Called after each durable step; lets a test stop the protocol there as a crash would. */
    public interface StepHook {
        void done(String step) throws IOException;
    }

    private final Path certificate;
    private final Path key;
    private final StepHook hook;

    public CredentialFiles(Path certificate, Path key) {
        this(certificate, key, step -> { });
    }

    public CredentialFiles(Path certificate, Path key, StepHook hook) {
        this.certificate = certificate;
        this.key = key;
        this.hook = hook;
    }

    public Path certificate() {
        return certificate;
    }

    public Path key() {
        return key;
    }

    public Path journalFile() {
        return sibling(key, ".rotation");
    }

    static Path sibling(Path p, String suffix) {
        return p.resolveSibling(p.getFileName() + suffix);
    }

    public Journal journal() {
        Path j = journalFile();
        if (!Files.exists(j)) {
            return new Journal(State.NONE, 0);
        }
        try {
            String[] parts = Files.readString(j, StandardCharsets.US_ASCII).trim().split("\\s+");
            return new Journal(State.valueOf(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0);
        } catch (IOException | RuntimeException e) {
            // Written atomically, so this is only a hand-edited file: the current pair is the safe choice.
            return new Journal(State.NONE, 0);
        }
    }

    public Active active() {
        Path newCert = sibling(certificate, ".new");
        Path newKey = sibling(key, ".new");
        return switch (journal().state()) {
            case NONE -> new Active(certificate, key, false);
            case PENDING -> Files.exists(newCert) && Files.exists(newKey)
                    ? new Active(newCert, newKey, true) : new Active(certificate, key, false);
            case COMMITTING -> new Active(Files.exists(newCert) ? newCert : certificate,
                    Files.exists(newKey) ? newKey : key, false);
        };
    }

    /** Installs a renewed pair on trial. */
    public void writePending(String certificatePem, String encryptedKeyPem, long now) throws IOException {
        AtomicFiles.write(sibling(key, ".new"), encryptedKeyPem.getBytes(StandardCharsets.US_ASCII), true);
        hook.done("key.new written");
        AtomicFiles.write(sibling(certificate, ".new"), certificatePem.getBytes(StandardCharsets.US_ASCII), false);
        hook.done("certificate.new written");
        writeJournal(State.PENDING, now);
        hook.done("journal pending");
    }

    /** Makes the confirmed pending pair current; the previous certificate is kept as {@code *.prev}. */
    public void commit(long now) throws IOException {
        writeJournal(State.COMMITTING, now);
        hook.done("journal committing");
        finishCommit();
    }

    /** Drops the pair on trial: the current pair is in force again. */
    public void rollback() throws IOException {
        AtomicFiles.delete(journalFile());
        hook.done("journal deleted");
        AtomicFiles.delete(sibling(key, ".new"));
        hook.done("key.new deleted");
        AtomicFiles.delete(sibling(certificate, ".new"));
        hook.done("certificate.new deleted");
    }

    /** Completes an interrupted commit and removes stray files of an interrupted renewal. */
    public void recover() throws IOException {
        switch (journal().state()) {
            case COMMITTING -> finishCommit();
            case NONE -> {
                AtomicFiles.delete(sibling(key, ".new"));
                AtomicFiles.delete(sibling(certificate, ".new"));
            }
            case PENDING -> {
                if (!active().pending()) {
                    rollback(); // a journal without both files cannot come from writePending; be safe
                }
            }
        }
    }

    private void finishCommit() throws IOException {
        Path freshKey = sibling(key, ".new");
        if (Files.exists(freshKey)) {
            AtomicFiles.move(freshKey, key); // the retired private key is replaced, never kept: it has no more use
            hook.done(key.getFileName() + ".new -> current");
        }
        Path freshCertificate = sibling(certificate, ".new");
        if (Files.exists(freshCertificate)) {
            if (Files.exists(certificate)) {
                AtomicFiles.move(certificate, sibling(certificate, ".prev"));
                hook.done(certificate.getFileName() + " -> .prev");
            }
            AtomicFiles.move(freshCertificate, certificate);
            hook.done(certificate.getFileName() + ".new -> current");
        }
        AtomicFiles.delete(sibling(key, ".prev")); // kept by earlier versions
        AtomicFiles.delete(journalFile());
        hook.done("journal deleted");
    }

    private void writeJournal(State state, long now) throws IOException {
        AtomicFiles.write(journalFile(), (state.name() + " " + now + "\n").getBytes(StandardCharsets.US_ASCII), true);
    }
}
