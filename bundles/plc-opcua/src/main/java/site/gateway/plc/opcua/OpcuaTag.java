package site.gateway.plc.opcua;

import java.util.UUID;

import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/**
 * A tag address as PLC4X's OPC UA driver takes it: a node id {@code ns=<index>;<i|s|g|b>=<identifier>} and, after the
 * last {@code ;}, the PLC4X type the value is written as ({@code BOOL}, {@code INT}, {@code REAL}, {@code STRING},
 * ...). The type is optional for reads: a value is read as the server's type says. A string identifier may contain
 * {@code ;} (then give the type, or the last part is taken as the type when it names one).
 */
record OpcuaTag(String text, NodeId nodeId, WriteType type) implements PlcTag {

    /**
     * Parses an address.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static OpcuaTag parse(String address) {
        String text = address.trim();
        String rest = text;
        int namespace = 0;
        if (rest.startsWith("ns=")) {
            int semicolon = rest.indexOf(';');
            if (semicolon < 0) {
                throw new IllegalArgumentException("not an OPC UA node id (ns=<index>;s=<name>[;TYPE]): '" + address + "'");
            }
            try {
                namespace = Integer.parseInt(rest.substring(3, semicolon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("namespace index of '" + address + "' is not a number");
            }
            if (namespace < 0 || namespace > 0xFFFF) {
                throw new IllegalArgumentException("namespace index of '" + address + "' must be 0 … 65535");
            }
            rest = rest.substring(semicolon + 1);
        }
        if (rest.length() < 3 || rest.charAt(1) != '=' || "isgb".indexOf(rest.charAt(0)) < 0) {
            throw new IllegalArgumentException("not an OPC UA node id (ns=<index>;s=<name>[;TYPE]): '" + address + "'");
        }
        char kind = rest.charAt(0);
        String identifier = rest.substring(2);
        WriteType type = null;
        int last = identifier.lastIndexOf(';');
        if (last >= 0) {
            type = WriteType.named(identifier.substring(last + 1).trim());
            if (type != null || kind != 's') {
                if (type == null) {
                    throw new IllegalArgumentException("'" + identifier.substring(last + 1) + "' in '" + address + "' is not a type this driver knows");
                }
                identifier = identifier.substring(0, last);
            }
        }
        if (identifier.isEmpty()) {
            throw new IllegalArgumentException("'" + address + "' has an empty identifier");
        }
        return new OpcuaTag(text, nodeId(namespace, kind, identifier, address), type);
    }

    private static NodeId nodeId(int namespace, char kind, String identifier, String address) {
        try {
            return switch (kind) {
                case 'i' -> new NodeId(namespace, UInteger.valueOf(Long.parseLong(identifier)));
                case 'g' -> new NodeId(namespace, UUID.fromString(identifier));
                case 'b' -> new NodeId(namespace, ByteString.of(java.util.Base64.getDecoder().decode(identifier)));
                default -> new NodeId(namespace, identifier);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + kind + "= identifier in '" + address + "': " + e.getMessage());
        }
    }

    @Override
    public String getAddressString() {
        return text;
    }

    @Override
    public PlcValueType getPlcValueType() {
        return type == null ? PlcValueType.NULL : PlcValueType.valueOf(type.name());
    }

    @Override
    public String toString() {
        return text;
    }
}
