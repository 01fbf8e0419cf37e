package site.gateway.api.plc;

/** A value to write to a configured tag. {@code value} is a Number, Boolean, String or a List of those. */
public record TagWrite(String tag, Object value) {
}
