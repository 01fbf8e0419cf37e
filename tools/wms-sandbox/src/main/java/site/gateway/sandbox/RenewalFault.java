package site.gateway.sandbox;

/** What §2.3 certificate renewal answers instead of a good certificate (for the gateway's checks). */
public enum RenewalFault {
    /** Sign the CSR properly. */
    NONE,
    /** A certificate for another, freshly generated key. */
    WRONG_KEY,
    /** A certificate whose subject is {@code CN=intruder, O=elsewhere}. */
    WRONG_SUBJECT,
    /** A certificate for the CSR's key, signed by a CA nobody trusts. */
    UNTRUSTED_ISSUER,
    /** HTTP 500. */
    SERVER_ERROR
}
