package site.gateway.storage;

import java.nio.ByteBuffer;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * A value of the queue map: a message ({@code kind} = its {@link MessageKinds} code, {@code stamp} = createdAt,
 * {@code body} = its JSON), the meta record, or a dropped range ({@code stamp} = its last seq). Held
 * by reference, so neither append nor read copies the JSON; stored as
 * {@code [kind][stamp: 8 bytes][varint length][body]}.
 */
record Stored(byte kind, long stamp, byte[] body) {
    static final byte META = 100;
    static final byte RANGE = 101;
    private static final byte[] EMPTY = new byte[0];

    static Stored range(long to) {
        return new Stored(RANGE, to, EMPTY);
    }

    static Stored meta(byte[] encoded) {
        return new Stored(META, 0, encoded);
    }

    /** MVStore serialisation of {@link Stored}. */
    static final class Type extends BasicDataType<Stored> {
        static final Type INSTANCE = new Type();

        @Override
        public int getMemory(Stored obj) {
            return 48 + obj.body().length;
        }

        @Override
        public void write(WriteBuffer buff, Stored obj) {
            buff.put(obj.kind());
            buff.putLong(obj.stamp());
            buff.putVarInt(obj.body().length);
            buff.put(obj.body());
        }

        @Override
        public Stored read(ByteBuffer buff) {
            byte kind = buff.get();
            long stamp = buff.getLong();
            int len = DataUtils.readVarInt(buff);
            byte[] body = len == 0 ? EMPTY : new byte[len];
            buff.get(body);
            return new Stored(kind, stamp, body);
        }

        @Override
        public Stored[] createStorage(int size) {
            return new Stored[size];
        }
    }
}
