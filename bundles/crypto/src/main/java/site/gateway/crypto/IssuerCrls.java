package site.gateway.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.security.auth.x500.X500Principal;

/**
 * The CRLs of intermediate CAs (a WMS whose server certificates are issued by an intermediate publishes
 * that CA's CRL), one file per issuer next to {@code crlFile}: {@code wms.crl} → {@code wms-<16 hex>.crl},
 * the hex naming the issuer. The CRL of a trust anchor stays in {@code crlFile} itself. The files are not
 * trusted by being there: {@link ChainValidator} uses a CRL only after its signature verified with the
 * issuer's certificate from a validated path.
 */
final class IssuerCrls {
    private IssuerCrls() {
    }

    static Path fileFor(Path crlFile, X500Principal issuer) {
        String[] parts = stemAndExtension(crlFile);
        return crlFile.resolveSibling(parts[0] + "-" + issuerId(issuer) + parts[1]);
    }

    /** The issuer CRL files next to {@code crlFile}, sorted by name. */
    static List<Path> files(Path crlFile) {
        Path dir = crlFile.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        String[] parts = stemAndExtension(crlFile);
        Pattern name = Pattern.compile(Pattern.quote(parts[0]) + "-[0-9a-f]{16}" + Pattern.quote(parts[1]));
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Every readable issuer CRL; {@code problems} gets one line per file that could not be read. */
    static List<X509CRL> load(Path crlFile, PemCodec codec, List<String> problems) {
        List<X509CRL> crls = new ArrayList<>();
        for (Path file : files(crlFile)) {
            try {
                crls.add(codec.crl(Files.readAllBytes(file)));
            } catch (IOException | CRLException e) {
                problems.add("CRL file " + file + " ignored: " + e.getMessage());
            }
        }
        return crls;
    }

    private static String issuerId(X500Principal issuer) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(issuer.getName(X500Principal.CANONICAL)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] stemAndExtension(Path crlFile) {
        String name = crlFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? new String[] {name.substring(0, dot), name.substring(dot)} : new String[] {name, ""};
    }
}
