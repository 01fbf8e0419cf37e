package site.gateway.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks an audit trail and reports the first entry that was edited, deleted, reordered or otherwise
 * broken (file and line), or {@code OK n entries}. With the MAC key, every entry must also carry a
 * {@code mac} that verifies, so a rewritten trail (entries and chain recomputed) is found too. Runs with
 * this bundle's jar alone:
 * <pre>java -cp site.gateway.audit.jar site.gateway.audit.AuditVerifier data/audit [--key certs/audit-mac.key]</pre>
 * Exit code 0: intact; 1: broken; 2: usage or I/O error.
 */
public final class AuditVerifier {
    private static final Pattern REMOVED_TO_SEQ =
            Pattern.compile("\"action\":\"audit\\.file-removed\".*\"toSeq\":(\\d+)");

    /**
     * @param ok      the trail is intact
     * @param entries entries checked (up to the problem, if any)
     * @param file    file of the problem, null when ok
     * @param line    1-based line of the problem, 0 when ok
     * @param problem what is wrong, null when ok
     * @param notes   facts worth knowing that do not break the trail
     */
    public record Result(boolean ok, long entries, long firstSeq, long lastSeq, int files, String file, long line,
            String problem, List<String> notes) {

        public String report() {
            StringBuilder b = new StringBuilder();
            if (ok) {
                b.append("OK ").append(entries).append(" entries");
                if (entries > 0) {
                    b.append(" (seq ").append(firstSeq).append("..").append(lastSeq).append(')');
                }
                b.append(" in ").append(files).append(files == 1 ? " file" : " files");
            } else if (file == null) {
                b.append("BROKEN: ").append(problem);
            } else {
                b.append("BROKEN at ").append(file).append(" line ").append(line).append(": ").append(problem)
                        .append("\n(").append(entries).append(" entries before it are intact)");
            }
            for (String note : notes) {
                b.append("\nnote: ").append(note);
            }
            return b.toString();
        }
    }

    private final ChainHash hash = new ChainHash();
    private final MacKey key;
    private final javax.crypto.Mac mac;
    private final List<String> notes = new ArrayList<>();
    private final Set<Long> removedUpTo = new HashSet<>();
    private List<Path> files;
    private long entries;
    private long firstSeq = -1;
    private long lastSeq;
    private String lastAction = "";
    private long withMac;

    private AuditVerifier(MacKey key) {
        this.key = key;
        this.mac = key == null ? null : key.newMac();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean withKey = args.length == 3 && args[1].equals("--key");
        if (args.length != 1 && !withKey) {
            err.println("usage: java -cp site.gateway.audit.jar site.gateway.audit.AuditVerifier <audit directory>"
                    + " [--key <MAC key file>]");
            return 2;
        }
        try {
            MacKey key = withKey ? MacKey.load(Paths.get(args[2])) : null;
            Result result = new AuditVerifier(key).check(Paths.get(args[0]));
            out.println(result.report());
            return result.ok() ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read " + args[0] + ": " + e);
            return 2;
        }
    }

    public static Result verify(Path dir) throws IOException {
        return new AuditVerifier(null).check(dir);
    }

    /** Verifies the chain and every entry's MAC with the key in {@code keyFile}. */
    public static Result verify(Path dir, Path keyFile) throws IOException {
        return new AuditVerifier(MacKey.load(keyFile)).check(dir);
    }

    private Result check(Path dir) throws IOException {
        files = TrailFiles.list(dir);
        if (files.isEmpty()) {
            return broken(null, 0, "no audit files (audit-<seq>.jsonl) in " + dir);
        }
        HeadMark headMark = new HeadMark(HeadMark.beside(dir), key);
        HeadMark.Mark mark = headMark.read();
        String hashAtMark = null;
        String prevLine = null;
        for (int fi = 0; fi < files.size(); fi++) {
            Path file = files.get(fi);
            String name = file.getFileName().toString();
            List<byte[]> lines = new ArrayList<>();
            boolean partial = split(Files.readAllBytes(file), lines);
            if (partial) {
                if (fi < files.size() - 1) {
                    return broken(name, lines.size(), "line without end in the middle of the trail (cut or edited)");
                }
                notes.add(name + " line " + lines.size() + " is incomplete: the gateway stopped while writing it"
                        + " (crash); ignored, and cut off by the gateway at its next start");
                lines.remove(lines.size() - 1);
            }
            long nameSeq = TrailFiles.firstSeq(file);
            if (lines.isEmpty()) {
                notes.add(name + " holds no entry");
                continue;
            }
            for (int li = 0; li < lines.size(); li++) {
                byte[] raw = lines.get(li);
                String text = new String(raw, StandardCharsets.UTF_8);
                ChainHash.Parsed p = ChainHash.parse(text);
                int lineNo = li + 1;
                if (p == null) {
                    return broken(name, lineNo, "not an audit entry (malformed or edited)");
                }
                if (!hash.sha256Hex(p.withoutHash()).equals(p.hash())) {
                    return broken(name, lineNo, "edited: the entry (seq " + p.seq() + ") does not match its hash");
                }
                if (p.mac() != null) {
                    withMac++;
                }
                if (key != null && p.mac() == null) {
                    return broken(name, lineNo, "the entry (seq " + p.seq() + ") has no MAC: not written by the"
                            + " gateway with this key (inserted, or the trail rewritten)");
                }
                if (key != null && !MacKey.verifies(mac, p.withoutHash(), p.mac())) {
                    return broken(name, lineNo, "the MAC of the entry (seq " + p.seq() + ") does not verify: edited"
                            + " (hash recomputed) or written with another key");
                }
                long expected = prevLine == null ? nameSeq : lastSeq + 1;
                if (p.seq() != expected) {
                    return broken(name, lineNo, "expected seq " + expected + ", found " + p.seq()
                            + missingOrReordered(expected, p.seq(), fi, li));
                }
                if (prevLine == null) {
                    firstSeq = p.seq();
                    if (p.seq() == 1 && !p.prev().equals(ChainHash.GENESIS)) {
                        return broken(name, lineNo, "the first entry of the trail must have prev = 64 zeros");
                    }
                } else if (!p.prev().equals(prevLine)) {
                    return broken(name, lineNo, "chain broken: prev does not match the previous line"
                            + " (an entry before it was replaced)");
                }
                if (actionOf(text).equals("audit.truncated")) {
                    return broken(name, lineNo, "the gateway found this trail cut off or edited at its end when it"
                            + " started (audit.truncated, seq " + p.seq() + "): " + text);
                }
                Matcher removed = REMOVED_TO_SEQ.matcher(text);
                if (removed.find()) {
                    removedUpTo.add(Long.parseLong(removed.group(1)));
                }
                prevLine = hash.sha256Hex(raw);
                if (mark != null && p.seq() == mark.seq()) {
                    hashAtMark = prevLine;
                }
                lastSeq = p.seq();
                lastAction = actionOf(text);
                entries++;
            }
        }
        Path markFile = headMark.file();
        if (mark == null) {
            notes.add("no high-water mark " + markFile + ": a trail cut at its end cannot be told from a complete one");
        } else if (!mark.macValid()) {
            return broken(null, 0, "the high-water mark " + markFile + " does not verify with the key (edited, or"
                    + " written with another key)");
        } else if (mark.seq() > lastSeq) {
            return broken(null, 0, "truncated: the trail ends at seq " + lastSeq + " but its high-water mark " + markFile
                    + " is seq " + mark.seq() + ": entries " + (lastSeq + 1) + ".." + mark.seq() + " were cut off");
        } else if (hashAtMark != null && !hashAtMark.equals(mark.hash())) {
            return broken(null, 0, "the entry seq " + mark.seq() + " is not the one the high-water mark " + markFile
                    + " names (replaced)");
        } else {
            notes.add("the trail reaches its high-water mark (seq " + mark.seq() + ", " + markFile + ")");
        }
        if (firstSeq > 1) {
            if (!removedUpTo.contains(firstSeq - 1)) {
                return broken(files.get(0).getFileName().toString(), 1, "the trail starts at seq " + firstSeq
                        + ": entries 1.." + (firstSeq - 1) + " are missing and no audit.file-removed entry"
                        + " records their removal");
            }
            notes.add("entries 1.." + (firstSeq - 1) + " were removed by retention (audit.file-removed)");
        }
        if (key == null && withMac > 0) {
            notes.add(withMac + " entries carry a MAC, not checked: pass --key <MAC key file> to check them too");
        } else if (key != null) {
            notes.add("every entry's MAC verifies with " + key.file());
        }
        if (entries > 0 && !lastAction.equals("audit.stopped")) {
            notes.add("the last entry is " + lastAction + ", not audit.stopped: the gateway is running, crashed, or"
                    + " the end of the trail was removed");
        }
        return new Result(true, entries, Math.max(firstSeq, 0), lastSeq, files.size(), null, 0, null, notes);
    }

    private Result broken(String file, long line, String problem) {
        return new Result(false, entries, Math.max(firstSeq, 0), lastSeq, files == null ? 0 : files.size(), file,
                line, problem, notes);
    }

    /** Tells a deletion from a reordering by looking for the expected seq further on. */
    private String missingOrReordered(long expected, long found, int fromFile, int fromLine) throws IOException {
        if (found < expected) {
            return ": entries reordered or repeated";
        }
        for (int fi = fromFile; fi < files.size(); fi++) {
            List<byte[]> lines = new ArrayList<>();
            split(Files.readAllBytes(files.get(fi)), lines);
            for (int li = fi == fromFile ? fromLine + 1 : 0; li < lines.size(); li++) {
                ChainHash.Parsed p = ChainHash.parse(new String(lines.get(li), StandardCharsets.UTF_8));
                if (p != null && p.seq() == expected) {
                    return ": entries reordered (seq " + expected + " comes later, in "
                            + files.get(fi).getFileName() + " line " + (li + 1) + ")";
                }
            }
        }
        return found == expected + 1 ? ": entry " + expected + " was deleted"
                : ": entries " + expected + ".." + (found - 1) + " were deleted";
    }

    private static String actionOf(String line) {
        int at = line.indexOf("\"action\":\"");
        if (at < 0) {
            return "";
        }
        int from = at + 10;
        int to = line.indexOf('"', from);
        return to < 0 ? "" : line.substring(from, to);
    }

    /** Splits on newlines; returns true when the last line has no newline (it is then the last element). */
    private static boolean split(byte[] data, List<byte[]> out) {
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(data, start, i));
                start = i + 1;
            }
        }
        if (start < data.length) {
            out.add(java.util.Arrays.copyOfRange(data, start, data.length));
            return true;
        }
        return false;
    }
}
