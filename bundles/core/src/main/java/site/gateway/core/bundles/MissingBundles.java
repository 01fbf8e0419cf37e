package site.gateway.core.bundles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which of the gateway's own bundles (the list the build wrote into {@code etc/framework.properties})
 * are not up, and why, one line per bundle: {@code site.gateway.transport (not installed: no deploy/site.gateway.transport.jar)}.
 */
final class MissingBundles {
    private MissingBundles() {
    }

    /** The problems in the order of {@code expected}; empty when every expected bundle is up. */
    static List<String> of(Collection<String> expected, Collection<BundleState> installed) {
        Map<String, List<BundleState>> byName = installed.stream()
                .collect(Collectors.groupingBy(BundleState::symbolicName, Collectors.mapping(Function.identity(), Collectors.toList())));
        List<String> problems = new ArrayList<>();
        for (String name : expected) {
            List<BundleState> candidates = byName.getOrDefault(name, List.of());
            if (candidates.isEmpty()) {
                problems.add(name + " (not installed: no deploy/" + name + ".jar)");
            } else if (candidates.stream().noneMatch(BundleState::isUp)) {
                problems.add(name + " (" + candidates.get(0).describeProblem() + ")");
            }
        }
        return problems;
    }

    /** The expected bundles that are on their way up ({@link BundleState#isPending()}) and none of whose copies is up. */
    static List<String> pending(Collection<String> expected, Collection<BundleState> installed) {
        return expected.stream().filter(name -> {
            List<BundleState> copies = installed.stream().filter(b -> b.symbolicName().equals(name)).toList();
            return copies.stream().noneMatch(BundleState::isUp) && copies.stream().anyMatch(BundleState::isPending);
        }).toList();
    }

    /** The list of framework property {@code gateway.bundles}: comma-separated symbolic names. */
    static List<String> parse(String list) {
        if (list == null) {
            return List.of();
        }
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
