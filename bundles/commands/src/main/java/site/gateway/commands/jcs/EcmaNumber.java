package site.gateway.commands.jcs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Serialises a double exactly as ECMAScript {@code Number.prototype.toString} does (ECMA-262 7.1.12.1),
 * which RFC 8785 §3.2.2.3 requires. Java 17's {@code Double.toString} is not a substitute: it uses a
 * different exponent format and does not always give the shortest digits (JDK-4511638).
 */
public final class EcmaNumber {

    private EcmaNumber() {
    }

    /** @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry */
    public static String toString(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
        if (value == 0) {
            return "0"; // also -0
        }
        Digits d = shortestDigits(Math.abs(value));
        String text = layout(d.digits, d.pointPosition);
        return value < 0 ? "-" + text : text;
    }

    /** {@code digits} (no leading or trailing zeros) times 10^(pointPosition - digits.length()). */
    private record Digits(String digits, int pointPosition) {
    }

    /**
     * The fewest significant digits that read back as {@code value}; among candidates of that length the
     * closest to the exact value (ties to the even one). Any decimal that reads back lies in the value's
     * rounding interval, so the nearest candidates below and above are the only ones to try per length.
     */
    private static Digits shortestDigits(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
            boolean downOk = readsBack(down, value);
            boolean upOk = readsBack(up, value);
            BigDecimal chosen;
            if (downOk && upOk) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                if (cmp != 0) {
                    chosen = cmp < 0 ? down : up;
                } else {
                    chosen = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
                }
            } else if (downOk) {
                chosen = down;
            } else if (upOk) {
                chosen = up;
            } else {
                continue;
            }
            return toDigits(chosen);
        }
        throw new IllegalStateException("no round-tripping representation for " + value);
    }

    private static boolean readsBack(BigDecimal candidate, double value) {
        return Double.parseDouble(candidate.toString()) == value;
    }

    private static Digits toDigits(BigDecimal decimal) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        // value = unscaled * 10^-scale = digits * 10^(n - k)  =>  n = k - scale
        return new Digits(digits, digits.length() - stripped.scale());
    }

    /** ECMA-262 Number::toString steps 6-10 for k digits and point position n. */
    private static String layout(String s, int n) {
        int k = s.length();
        StringBuilder out = new StringBuilder(32);
        if (k <= n && n <= 21) {
            out.append(s);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(s);
        } else {
            int exponent = n - 1;
            out.append(s.charAt(0));
            if (k > 1) {
                out.append('.').append(s, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }
}
