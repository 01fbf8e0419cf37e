package site.gateway.plc.modbus;

/**
 * How a device lays out the bytes of a value in its registers (PLC4X's {@code default-payload-byte-order}).
 * Values are decoded big-endian after {@link #toBigEndian}; each order is its own inverse, so the same
 * permutation serves writing.
 */
enum PayloadByteOrder {
    /** ABCD: as Modbus sends registers. */
    BIG_ENDIAN,
    /** DCBA: all bytes reversed. */
    LITTLE_ENDIAN,
    /** BADC: the two bytes of each register swapped. */
    BIG_ENDIAN_BYTE_SWAP,
    /** CDAB: register order reversed ("word swap"). */
    LITTLE_ENDIAN_BYTE_SWAP;

    /** Reorders {@code length} bytes (a whole number of registers) in place. */
    void toBigEndian(byte[] bytes, int offset, int length) {
        switch (this) {
            case BIG_ENDIAN -> { }
            case LITTLE_ENDIAN -> reverse(bytes, offset, length, 1);
            case BIG_ENDIAN_BYTE_SWAP -> {
                for (int i = offset; i < offset + length; i += 2) {
                    swap(bytes, i, i + 1);
                }
            }
            case LITTLE_ENDIAN_BYTE_SWAP -> reverse(bytes, offset, length, 2);
        }
    }

    /** Reverses the order of the {@code unit}-byte groups in the range. */
    private static void reverse(byte[] bytes, int offset, int length, int unit) {
        for (int lo = offset, hi = offset + length - unit; lo < hi; lo += unit, hi -= unit) {
            for (int k = 0; k < unit; k++) {
                swap(bytes, lo + k, hi + k);
            }
        }
    }

    private static void swap(byte[] bytes, int a, int b) {
        byte t = bytes[a];
        bytes[a] = bytes[b];
        bytes[b] = t;
    }
}
