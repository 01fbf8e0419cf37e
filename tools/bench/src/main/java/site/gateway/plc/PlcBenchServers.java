package site.gateway.plc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import site.gateway.testsupport.OpcUaTestServer;
import site.gateway.testsupport.S7TestServer;

/**
 * The PLC side of {@link PlcPollHarness}, in its own process so the harness measures only the gateway's
 * CPU: one test server of the given driver with {@code tags} values, printing "CONNECTION <string>" and
 * running until stdin closes. Usage: PlcBenchServers modbus|s7|opcua|opcua-secure tags
 */
public final class PlcBenchServers {
    private PlcBenchServers() {
    }

    public static void main(String[] args) throws Exception {
        String driver = args[0];
        int tags = Integer.parseInt(args[1]);
        AutoCloseable server;
        String connection;
        switch (driver) {
            case "modbus" -> {
                SimpleProcessImage image = new SimpleProcessImage(1);
                for (int i = 0; i < tags; i++) {
                    image.addRegister(new SimpleRegister(i));
                }
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
                ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 20, false);
                slave.addProcessImage(1, image);
                slave.open();
                server = () -> ModbusSlaveFactory.close(slave);
                connection = "modbus-tcp://127.0.0.1:" + port;
            }
            case "s7" -> {
                S7TestServer s7 = new S7TestServer(Map.of(1, 2 * tags));
                server = s7;
                connection = s7.connection();
            }
            case "opcua", "opcua-secure" -> {
                Map<String, Object> variables = new LinkedHashMap<>();
                for (int i = 0; i < tags; i++) {
                    variables.put("v" + i, (short) i);
                }
                Path dir = Files.createTempDirectory("plc-bench-opcua");
                server = new OpcUaTestServer(dir, variables);
                OpcUaTestServer opcua = (OpcUaTestServer) server;
                connection = driver.equals("opcua") ? opcua.connection() : opcua.secureConnection();
            }
            default -> throw new IllegalArgumentException("driver must be modbus, s7, opcua or opcua-secure");
        }
        System.out.println("CONNECTION " + connection);
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            while (in.readLine() != null) {
                // until stdin closes
            }
        }
        server.close();
        System.exit(0);
    }
}
