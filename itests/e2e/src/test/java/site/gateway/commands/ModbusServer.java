package site.gateway.commands;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

/**
 * A real Modbus TCP server (j2mod) on 127.0.0.1, unit id 1, with holding registers that tell when they
 * are written and can hold a write (the server answers only once {@link #release()} is called).
 */
final class ModbusServer implements AutoCloseable {
    static final int REGISTERS = 20;

    final int port;
    private final SimpleProcessImage image = new SimpleProcessImage(1);
    private final ModbusSlave slave;
    volatile LongConsumer onWrite = t -> { };
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** Register writes that reached the server (counted before the gate). */
    final java.util.concurrent.atomic.AtomicInteger arrivals = new java.util.concurrent.atomic.AtomicInteger();

    ModbusServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        for (int i = 0; i < REGISTERS; i++) {
            image.addRegister(new ObservedRegister());
        }
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    String connection() {
        return "modbus-tcp://127.0.0.1:" + port;
    }

    /** Holding register by PLC4X address (1-based, as in {@code holding-register:1}). */
    int holding(int plc4xAddress) {
        return image.getRegister(plc4xAddress - 1).toShort();
    }

    void setHolding(int plc4xAddress, int value) {
        ((ObservedRegister) image.getRegister(plc4xAddress - 1)).set(value);
    }

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public void close() {
        release();
        ModbusSlaveFactory.close(slave);
    }

    /** Writes from Modbus clients pass the gate, then are reported with their System.nanoTime(). */
    private final class ObservedRegister extends SimpleRegister {
        ObservedRegister() {
            super(0);
        }

        void set(int value) {
            super.setValue(value);
        }

        private void arrived() {
            arrivals.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void setValue(int v) {
            arrived();
            super.setValue(v);
            onWrite.accept(System.nanoTime());
        }

        @Override
        public void setValue(short s) {
            arrived();
            super.setValue(s);
            onWrite.accept(System.nanoTime());
        }

        @Override
        public void setValue(byte[] bytes) {
            arrived();
            super.setValue(bytes);
            onWrite.accept(System.nanoTime());
        }
    }
}
