package site.gateway.plc;

import java.net.InetAddress;
import java.net.ServerSocket;

import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;

/** A real Modbus TCP server (j2mod) on 127.0.0.1, unit id 1, that can be stopped and started on the same port. */
final class ModbusTestServer implements AutoCloseable {
    static final int REGISTERS = 100;

    final int port;
    final SimpleProcessImage image = new SimpleProcessImage(1);
    private ModbusSlave slave;

    ModbusTestServer() throws Exception {
        this.port = freePort();
        for (int i = 0; i < REGISTERS; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addDigitalOut(new SimpleDigitalOut(false));
        }
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String connection() {
        return "modbus-tcp://127.0.0.1:" + port;
    }

    synchronized void start() throws Exception {
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 5, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    synchronized void stop() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
            slave = null;
        }
    }

    /** Holding register by PLC4X address (1-based, as in {@code holding-register:1}). */
    void setHolding(int plc4xAddress, int value) {
        image.getRegister(plc4xAddress - 1).setValue(value);
    }

    int holding(int plc4xAddress) {
        return image.getRegister(plc4xAddress - 1).toShort();
    }

    @Override
    public void close() {
        stop();
    }
}
