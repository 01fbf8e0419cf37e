package site.gateway.plc.modbus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

/** A real Modbus TCP server (j2mod) on 127.0.0.1, unit 1, with {@link #SIZE} of each of the four areas. */
final class J2modServer implements AutoCloseable {
    static final int SIZE = 200;

    final SimpleProcessImage image = new SimpleProcessImage(1);
    private final ModbusSlave slave;
    private final int port;

    J2modServer() throws Exception {
        for (int i = 0; i < SIZE; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addInputRegister(new SimpleInputRegister(0));
            image.addDigitalOut(new SimpleDigitalOut(false));
            image.addDigitalIn(new SimpleDigitalIn(false));
        }
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    String connection() {
        return "modbus-tcp://127.0.0.1:" + port;
    }

    /** Holding register by 1-based address, as in {@code holding-register:1}. */
    void holding(int address, int value) {
        image.getRegister(address - 1).setValue(value);
    }

    int holding(int address) {
        return image.getRegister(address - 1).getValue();
    }

    @Override
    public void close() throws IOException {
        ModbusSlaveFactory.close(slave);
    }
}
