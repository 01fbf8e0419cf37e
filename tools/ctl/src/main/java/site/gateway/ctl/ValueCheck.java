package site.gateway.ctl;

import java.util.Locale;

/** Whether one value can be taken as the type and options of its MetaType attribute. */
final class ValueCheck {
    private ValueCheck() {
    }

    /** @return what is wrong, or null when the value fits */
    static String problem(MetaTypeCatalog.Attribute ad, String value) {
        String typeProblem = typeProblem(ad.type(), value);
        if (typeProblem != null) {
            return typeProblem;
        }
        if (!ad.options().isEmpty() && !ad.options().contains(value)) {
            return "not one of " + String.join(", ", ad.options());
        }
        return null;
    }

    private static String typeProblem(String type, String value) {
        try {
            switch (type) {
                case "Long" -> Long.parseLong(value);
                case "Integer" -> Integer.parseInt(value);
                case "Short" -> Short.parseShort(value);
                case "Byte" -> Byte.parseByte(value);
                case "Double" -> Double.parseDouble(value);
                case "Float" -> Float.parseFloat(value);
                case "Char", "Character" -> {
                    if (value.length() != 1) {
                        return "not a single character";
                    }
                }
                case "Boolean" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        // Config Admin's conversion would silently read it as false.
                        return "not true or false";
                    }
                }
                default -> {
                    // String, Password: any text
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return "not a" + (type.startsWith("I") ? "n " : " ") + type.toLowerCase(Locale.ROOT) + " number";
        }
    }
}
