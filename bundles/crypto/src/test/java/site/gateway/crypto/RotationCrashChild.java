package site.gateway.crypto;

import java.nio.file.Files;
import java.nio.file.Path;

/** Run in a separate JVM that the test kills with SIGKILL: rotates between prepared pairs forever. */
public final class RotationCrashChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int pairs = Integer.parseInt(args[1]);
        CredentialFiles files = new CredentialFiles(dir.resolve("gateway.crt"), dir.resolve("gateway.key"));
        files.recover();
        System.out.println("started");
        System.out.flush();
        for (long i = 0;; i++) {
            int n = (int) (i % pairs);
            files.writePending(Files.readString(dir.resolve("pairs/" + n + ".crt")), Files.readString(dir.resolve("pairs/" + n + ".key")),
                    System.currentTimeMillis());
            if (i % 3 == 2) {
                files.rollback();
            } else {
                files.commit(System.currentTimeMillis());
            }
        }
    }

    private RotationCrashChild() {
    }
}
