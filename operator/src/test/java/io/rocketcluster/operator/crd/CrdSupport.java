package io.rocketcluster.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The generated CRD, the committed copy under crds/, and schema validation of CRs against it (also used
 * by the Helm chart's tests, through the operator's test-jar).
 */
public final class CrdSupport {
    static final String CRD_FILE = "rocketclusters.rocketcluster.io-v1.yml";
    /** Where crd-generator writes the CRD (process-classes); target/classes is on the test classpath. */
    static final String GENERATED_RESOURCE = "/META-INF/fabric8/" + CRD_FILE;
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private CrdSupport() {
    }

    /** The operator module's directory (surefire sets basedir; an IDE usually runs in the module). */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** The repository's top-level directory. */
    static Path repoDir() {
        return moduleDir().getParent();
    }

    static Path committedCrd() {
        return repoDir().resolve("crds").resolve(CRD_FILE);
    }

    static Path examplesDir() {
        return repoDir().resolve("examples");
    }

    static String generatedCrdText() {
        try (InputStream in = CrdSupport.class.getResourceAsStream(GENERATED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(GENERATED_RESOURCE + " is not on the test classpath: crd-generator runs in"
                        + " process-classes, so run the tests through Maven (mvn -pl operator test), not after a bare compile");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CustomResourceDefinition generatedCrd() {
        return SERIALIZATION.unmarshal(generatedCrdText(), CustomResourceDefinition.class);
    }

    static JSONSchemaProps openApiSchema() {
        return generatedCrd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    /**
     * The CRD's openAPIV3Schema as a draft-4 JSON schema. {@code strict} adds what {@code kubectl
     * --validate=strict} enforces: no unknown fields, i.e. additionalProperties false on every object
     * schema with properties (and no additionalProperties / preserve-unknown-fields of its own), and
     * apiVersion/kind/metadata at the root.
     */
    static Schema schema(boolean strict) {
        ObjectNode root = (ObjectNode) readJson(SERIALIZATION.asJson(openApiSchema()));
        if (strict) {
            ObjectNode props = (ObjectNode) root.get("properties");
            props.putObject("apiVersion").put("type", "string");
            props.putObject("kind").put("type", "string");
            props.putObject("metadata").put("type", "object");
            closeObjects(root);
        }
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                .getSchema(root.toString(), InputFormat.JSON);
    }

    /** Walks schema nodes only (not the property-name maps), closing every object schema with properties. */
    private static void closeObjects(JsonNode schema) {
        if (!(schema instanceof ObjectNode o)) {
            return;
        }
        if (o.has("properties")) {
            if (!o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.get("properties").forEach(CrdSupport::closeObjects);
        }
        closeObjects(o.get("items"));
        closeObjects(o.get("additionalProperties"));
        for (String k : List.of("anyOf", "allOf", "oneOf")) {
            if (o.get(k) instanceof ArrayNode a) {
                a.forEach(CrdSupport::closeObjects);
            }
        }
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Schema errors of a CR in YAML, as "instance location: message" strings. */
    public static List<String> validate(String yaml, boolean strict) {
        List<Error> errors = schema(strict).validate(yaml, InputFormat.YAML);
        return errors.stream().map(Error::toString).toList();
    }

    static RocketCluster read(String yaml) {
        return SERIALIZATION.unmarshal(yaml, RocketCluster.class);
    }

}
