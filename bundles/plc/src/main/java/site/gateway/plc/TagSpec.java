package site.gateway.plc;

import site.gateway.api.plc.WritableTag;

/**
 * One configured tag.
 *
 * @param deadband       minimum change of a number that counts as a change (0: any change)
 * @param reportOnChange send only changed values
 * @param writable       commands may write it ({@code writable.<tag>=true}); false unless the site says so
 * @param min            lowest value a command may write, or null ({@code min.<tag>})
 * @param max            highest value a command may write, or null ({@code max.<tag>})
 */
record TagSpec(String name, String address, double deadband, boolean reportOnChange, boolean writable, Double min,
        Double max) {

    /** A read-only tag. */
    TagSpec(String name, String address, double deadband, boolean reportOnChange) {
        this(name, address, deadband, reportOnChange, false, null, null);
    }

    /** What commands may write, or null for a read-only tag. */
    WritableTag writeRule() {
        return writable ? new WritableTag(name, min, max) : null;
    }
}
