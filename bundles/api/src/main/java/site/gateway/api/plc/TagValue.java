package site.gateway.api.plc;

/** A value read from a PLC tag. {@code value} is a Number, Boolean, String, a List of those, or null when bad. */
public record TagValue(String tag, Object value, Quality quality, long ts) {
}
