package io.rocketcluster.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart under test, rendered with helm-java (Helm embedded as a native library) and parsed with fabric8. */
final class ChartSupport {
    static final Path CHART = Path.of(System.getProperty("chart.dir", "rocketcluster-operator")).toAbsolutePath();
    static final String RELEASE = "rc";
    static final String NAMESPACE = "messaging";
    /** The release's full name: release name + chart name. */
    static final String FULLNAME = "rc-rocketcluster-operator";
    static final String APP_VERSION = "0.1.0-SNAPSHOT";

    /** Where crd-generator puts the CRD (operator/target/classes, on this module's test classpath). */
    static final String GENERATED_CRD = "/META-INF/fabric8/rocketclusters.rocketcluster.io-v1.yml";
    static final Path CHART_CRD = CHART.resolve("crds/rocketclusters.rocketcluster.io-v1.yml");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private ChartSupport() {
    }

    /** {@code helm template rc <chart> -n messaging} with {@code --set} pairs. */
    static Rendered render(Map<String, Object> sets) {
        TemplateCommand cmd = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        sets.forEach(cmd::set);
        return Rendered.parse(cmd.call());
    }

    /** {@code helm template rc <chart> -n messaging -f <values>}. */
    static Rendered renderWithValues(String valuesYaml, Path dir) {
        Path file = dir.resolve("values-" + System.nanoTime() + ".yaml");
        write(file, valuesYaml);
        return Rendered.parse(new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withValuesFile(file).call());
    }

    /**
     * The commented RocketCluster example in values.yaml (the lines between "# spec:" and "spec: {}"),
     * uncommented: a YAML document whose only key is {@code spec}.
     */
    static String valuesExample() {
        List<String> lines = read(CHART.resolve("values.yaml")).lines().toList();
        int from = lines.indexOf("  # spec:");
        int to = lines.indexOf("  spec: {}");
        assertThat(from).as("'  # spec:' line in values.yaml").isNotNegative();
        assertThat(to).as("'  spec: {}' line after it").isGreaterThan(from);
        return lines.subList(from, to).stream()
                .map(l -> l.replaceFirst("^  # ?", ""))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** A copy of the chart whose values.yaml enables the cluster with the example spec uncommented. */
    static Path chartCopyWithExampleCluster(Path dir) {
        Path copy = copyChart(dir);
        String values = read(copy.resolve("values.yaml"));
        String enabled = values.replace("cluster:\n  enabled: false\n", "cluster:\n  enabled: true\n")
                .replace("  spec: {}\n", indent(valuesExample(), "  "));
        assertThat(enabled).as("values.yaml rewritten").isNotEqualTo(values).contains("  enabled: true");
        write(copy.resolve("values.yaml"), enabled);
        return copy;
    }

    static Path copyChart(Path dir) {
        Path target = dir.resolve(CHART.getFileName());
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path src : files.toList()) {
                Path dst = target.resolve(CHART.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static String indent(String text, String prefix) {
        return text.lines().map(l -> l.isEmpty() ? l : prefix + l).collect(Collectors.joining("\n", "", "\n"));
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one rendering. */
    record Rendered(String yaml, List<HasMetadata> objects) {
        @SuppressWarnings("unchecked")
        static Rendered parse(String yaml) {
            Object parsed = SERIALIZATION.unmarshal(yaml);
            List<HasMetadata> objects = parsed instanceof List<?> list ? (List<HasMetadata>) list
                    : List.of((HasMetadata) parsed);
            return new Rendered(yaml, objects);
        }

        List<String> kinds() {
            return objects.stream().map(HasMetadata::getKind).toList();
        }

        List<HasMetadata> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
            assertThat(found).as("%s objects in\n%s", type.getSimpleName(), yaml).hasSize(1);
            return found.get(0);
        }

        Deployment deployment() {
            return one(Deployment.class);
        }

        Container operatorContainer() {
            List<Container> containers = deployment().getSpec().getTemplate().getSpec().getContainers();
            assertThat(containers).hasSize(1);
            return containers.get(0);
        }

        /** Plain env value by name (null if the variable has no literal value). */
        String env(String name) {
            return operatorContainer().getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no env " + name + " in\n" + yaml)).getValue();
        }
    }
}
