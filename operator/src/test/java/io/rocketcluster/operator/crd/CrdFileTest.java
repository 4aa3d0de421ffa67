package io.rocketcluster.operator.crd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRD committed under crds/ (what users install, {@code kubectl apply -f crds/}) must be the one
 * crd-generator builds from the model classes, so that a change to the spec classes fails the build
 * until the file is copied over:
 * <pre>
 *   cp operator/target/classes/META-INF/fabric8/rocketclusters.rocketcluster.io-v1.yml crds/
 * </pre>
 * Or let this test write it: {@code mvn -pl operator test -Dtest=CrdFileTest -Drocketcluster.updateCrds=true}
 * (with the system property {@code rocketcluster.updateCrds=true} the test overwrites crds/ with the
 * generated file, says so on stdout, and passes). The Helm chart's own copy
 * (helm/rocketcluster-operator/crds/) is checked by the helm module's tests.
 */
class CrdFileTest {
    static final String UPDATE_PROPERTY = "rocketcluster.updateCrds";
    static final String COPY_COMMAND =
            "cp operator/target/classes/META-INF/fabric8/rocketclusters.rocketcluster.io-v1.yml crds/";

    @Test
    void committedCrdEqualsTheGeneratedOne() throws IOException {
        String generated = CrdSupport.generatedCrdText();
        Path committed = CrdSupport.committedCrd();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
            System.out.println("CrdFileTest: " + UPDATE_PROPERTY + "=true, wrote the generated CRD to " + committed
                    + " (commit it)");
        }
        assertThat(committed).as("committed CRD %s is missing; create it with (from the repository root):%n  %s",
                committed, COPY_COMMAND).exists();
        String text = Files.readString(committed, StandardCharsets.UTF_8);
        assertThat(text.replace("\r\n", "\n"))
                .as("%s is stale: the model classes changed since it was generated. From the repository root run%n"
                        + "  %s%nor run this test with -D%s=true, then commit the file.", committed, COPY_COMMAND,
                        UPDATE_PROPERTY)
                .isEqualTo(generated);
    }
}
