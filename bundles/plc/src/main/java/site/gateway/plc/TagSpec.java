package site.gateway.plc;

/**
 * One configured tag.
 *
 * @param deadband       minimum change of a number that counts as a change (0: any change)
 * @param reportOnChange send only changed values
 */
record TagSpec(String name, String address, double deadband, boolean reportOnChange) {
}
