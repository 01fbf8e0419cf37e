package site.gateway.bench;

import java.nio.ByteBuffer;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * The bare map's value: the bytes the store writes per message ({@code [kind][createdAt: 8 bytes][varint
 * length][json]}, docs/storage.md "Files"), so that the ceiling stores the same values as the store. Held by
 * reference as the store holds its values: neither side copies the JSON.
 */
record BareRecord(byte kind, long createdAt, byte[] json) {
    /** The store's code for telemetry (MessageKinds.TELEMETRY). */
    static final byte TELEMETRY = 0;

    /** MVStore serialisation, byte for byte as the store's. */
    static final class Type extends BasicDataType<BareRecord> {
        static final Type INSTANCE = new Type();

        @Override
        public int getMemory(BareRecord obj) {
            return 48 + obj.json().length;
        }

        @Override
        public void write(WriteBuffer buff, BareRecord obj) {
            buff.put(obj.kind());
            buff.putLong(obj.createdAt());
            buff.putVarInt(obj.json().length);
            buff.put(obj.json());
        }

        @Override
        public BareRecord read(ByteBuffer buff) {
            byte kind = buff.get();
            long createdAt = buff.getLong();
            byte[] json = new byte[DataUtils.readVarInt(buff)];
            buff.get(json);
            return new BareRecord(kind, createdAt, json);
        }

        @Override
        public BareRecord[] createStorage(int size) {
            return new BareRecord[size];
        }
    }
}
