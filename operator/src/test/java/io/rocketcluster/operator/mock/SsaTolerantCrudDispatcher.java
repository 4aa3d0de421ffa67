package io.rocketcluster.operator.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;

/**
 * fabric8's CRUD mock answers server-side apply with 404 (missing object) or 415 (existing object).
 * This dispatcher turns an apply into what a real API server does when one field manager owns the
 * object: a create when the object is missing; else the applied object replaces what that manager set
 * before (so fields it no longer applies disappear, as SSA removes fields a manager drops), while the
 * server's own fields (uid, resourceVersion, generation, creationTimestamp) and the status, which only
 * the /status subresource changes, are kept. An apply to /status replaces the status only. Several
 * managers sharing an object, conflicts and list merge keys are not simulated.
 */
public final class SsaTolerantCrudDispatcher extends KubernetesCrudDispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * JOSDK's leader election first asks SelfSubjectRulesReview whether it may use Leases, which the
     * CRUD mock cannot answer (422); answer as an API server would for a user allowed to.
     */
    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
            return new MockResponse().setResponseCode(201).setBody("{\"apiVersion\":\"authorization.k8s.io/v1\","
                    + "\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,\"resourceRules\":"
                    + "[{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],\"verbs\":[\"*\"]}]}}");
        }
        return super.handleCreate(request);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/apply-patch")) {
            return super.handlePatch(request);
        }
        String path = request.getPath();
        int q = path.indexOf('?');
        String objectPath = q < 0 ? path : path.substring(0, q);
        try {
            JsonNode applied = JSON.readTree(request.getUtf8Body());
            MockResponse current = super.handleGet(objectPath);
            if (current.code() == 404) {
                if (objectPath.endsWith("/status")) {
                    return current;
                }
                String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
                return super.handleCreate(request(HttpMethod.POST, collection, applied));
            }
            ObjectNode stored = (ObjectNode) JSON.readTree(current.getBody().readUtf8());
            ObjectNode result;
            if (objectPath.endsWith("/status")) {
                result = stored.deepCopy();
                result.set("status", applied.get("status"));
            } else {
                result = ((ObjectNode) applied).deepCopy();
                ObjectNode meta = (ObjectNode) result.get("metadata");
                for (String serverField : new String[] {"uid", "resourceVersion", "generation", "creationTimestamp"}) {
                    if (stored.get("metadata").has(serverField)) {
                        meta.set(serverField, stored.get("metadata").get(serverField));
                    }
                }
                if (stored.has("status")) {
                    result.set("status", stored.get("status"));
                }
            }
            return super.handleUpdate(request(HttpMethod.PUT, objectPath, result));
        } catch (IOException e) {
            return new MockResponse().setResponseCode(400).setBody("bad apply body: " + e.getMessage());
        }
    }

    private static RecordedRequest request(HttpMethod method, String path, JsonNode body) throws IOException {
        return new RecordedRequest("HTTP/1.1", method, path,
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer().writeUtf8(JSON.writeValueAsString(body)));
    }
}
