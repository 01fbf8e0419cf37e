package site.gateway.crypto;

/** A key, certificate or trust file that cannot be used; the message is fit for an operator's log. */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
