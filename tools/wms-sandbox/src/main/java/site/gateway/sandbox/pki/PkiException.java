package site.gateway.sandbox.pki;

/** Unchecked wrapper for the checked exceptions of the JCA and BouncyCastle. */
public class PkiException extends RuntimeException {
    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }

    public PkiException(String message) {
        super(message);
    }
}
