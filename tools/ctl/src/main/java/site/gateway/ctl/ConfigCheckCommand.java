package site.gateway.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code config check}: every {@code conf/*.cfg} against the MetaType definitions of the bundles in
 * {@code system/} and {@code deploy/}, without starting anything. An error is a value the bundle cannot
 * take (wrong type, not one of its options, a required key missing); an unknown key without a dot is a
 * warning (a typo the bundle silently ignores). Keys with a dot ({@code writable.<tag>}) are per-item
 * keys the bundles read themselves and are not reported. Ranges a bundle checks in code (e.g. the
 * buffer's minimum size) are only checked by the gateway: it logs and audits the value it refuses.
 */
final class ConfigCheckCommand implements Command {
    /** Keys Config Admin and FileInstall add themselves. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "felix.fileinstall.filename", "service.bundleLocation");

    @Override
    public String help() {
        return """
                usage: gateway-ctl config check [--home DIR] [--conf DIR]
                  Checks every conf/*.cfg against the MetaType definitions of the bundles in system/ and
                  deploy/ (of the distribution and of the home), without starting the gateway.
                  --conf DIR   the folder to check (default: <home>/conf)
                  Exit code: 0 no error (warnings may be printed), 1 at least one error, 2 usage/I/O error.
                """;
    }

    @Override
    public int run(Options options, Home home, PrintStream out, PrintStream err) {
        Path conf = options.get("conf") == null ? home.conf() : Path.of(options.get("conf"));
        if (!Files.isDirectory(conf)) {
            err.println("no configuration folder " + conf);
            return 2;
        }
        try {
            MetaTypeCatalog catalog = MetaTypeCatalog.read(List.of(home.distribution().resolve("system"),
                    home.distribution().resolve("deploy"), home.home().resolve("deploy")));
            catalog.problems().forEach(p -> out.println("WARN  " + p));
            int errors = 0;
            int warnings = 0;
            List<Path> files;
            try (Stream<Path> list = Files.list(conf)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".cfg")).sorted().toList();
            }
            for (Path file : files) {
                List<String> fileErrors = new ArrayList<>();
                List<String> fileWarnings = new ArrayList<>();
                String note = check(file, catalog, fileErrors, fileWarnings);
                fileErrors.forEach(e -> out.println("ERROR " + file.getFileName() + ": " + e));
                fileWarnings.forEach(w -> out.println("WARN  " + file.getFileName() + ": " + w));
                if (fileErrors.isEmpty() && fileWarnings.isEmpty()) {
                    out.println("OK    " + file.getFileName() + note);
                }
                errors += fileErrors.size();
                warnings += fileWarnings.size();
            }
            out.println(files.size() + " files checked in " + conf + ": " + errors + (errors == 1 ? " error, " : " errors, ")
                    + warnings + (warnings == 1 ? " warning" : " warnings"));
            return errors == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read " + conf + ": " + e);
            return 2;
        }
    }

    /** Adds the file's problems; returns a note for a clean file. */
    private static String check(Path file, MetaTypeCatalog catalog, List<String> errors, List<String> warnings) {
        Properties values;
        try {
            values = Home.load(file);
        } catch (IOException | IllegalArgumentException e) {
            errors.add("not a readable properties file: " + e.getMessage());
            return "";
        }
        String name = file.getFileName().toString();
        String pid = name.substring(0, name.length() - ".cfg".length());
        MetaTypeCatalog.Definition definition = catalog.forPid(pid);
        String as = "pid " + pid;
        for (int dash = pid.indexOf('-'); definition == null && dash > 0; dash = pid.indexOf('-', dash + 1)) {
            definition = catalog.forFactoryPid(pid.substring(0, dash));
            as = "factory " + pid.substring(0, dash);
        }
        if (definition == null) {
            return " (no MetaType definition for " + pid + " in the bundles: not checked)";
        }
        for (MetaTypeCatalog.Attribute ad : definition.attributes().values()) {
            String value = values.getProperty(ad.id());
            if (value == null) {
                if (ad.required() && ad.defaultValue() == null) {
                    // Third-party MetaType (e.g. Felix HC's servlet) marks keys required that its component
                    // does without: only the gateway's own PIDs fail the check for a missing key.
                    (pid.startsWith("gateway.") ? errors : warnings)
                            .add("missing required key '" + ad.id() + "' (" + definition.ocd() + ")");
                }
                continue;
            }
            List<String> items = ad.cardinality() == 0 ? List.of(value.trim()) : splitList(value);
            for (String item : items) {
                String problem = ValueCheck.problem(ad, item);
                if (problem != null) {
                    errors.add(ad.id() + " = " + value.trim() + ": " + problem);
                    break;
                }
            }
        }
        for (String key : values.stringPropertyNames()) {
            if (!definition.attributes().containsKey(key) && !FRAMEWORK_KEYS.contains(key) && key.indexOf('.') < 0) {
                warnings.add("unknown key '" + key + "' (not in " + definition.ocd() + "; the bundle ignores it: a typo?)");
            }
        }
        return " (" + as + ", " + definition.bundle() + ")";
    }

    private static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }
}
