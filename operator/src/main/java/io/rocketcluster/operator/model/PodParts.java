package io.rocketcluster.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.rocketcluster.operator.crd.RocketClusterSpec;
import io.rocketcluster.operator.crd.SchedulingSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pod pieces shared by nameserver and broker pods. */
final class PodParts {
    /** The images' user (uid 1000, gid 0); the data directories are group-writable. */
    static final long UID = 1000L;
    static final long FS_GROUP = 1000L;

    private PodParts() {
    }

    /**
     * Non-root, and fsGroup so that a fresh volume (owned by root on most provisioners) is made
     * group-writable for the broker at mount time; OnRootMismatch skips the recursive chown on restarts.
     */
    static PodSecurityContext podSecurity() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(0L)
                .withFsGroup(FS_GROUP).withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    /** The JVM writes only to its volume and /tmp (an emptyDir), so the root filesystem is read-only. */
    static SecurityContext containerSecurity() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    static Volume tmpVolume() {
        return new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build();
    }

    /** HTTP probe on the metrics port's health endpoints. */
    static Probe httpProbe(String path, int port, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort(port).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(3).withFailureThreshold(failureThreshold)
                .build();
    }

    /** The user's resources, with a memory limit (and requests) filled in when missing. */
    static ResourceRequirements resources(ResourceRequirements given, String defaultMemory, String defaultCpu) {
        Map<String, Quantity> limits = new LinkedHashMap<>();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (given != null) {
            if (given.getLimits() != null) {
                limits.putAll(given.getLimits());
            }
            if (given.getRequests() != null) {
                requests.putAll(given.getRequests());
            }
        }
        Quantity memory = limits.getOrDefault("memory", requests.getOrDefault("memory", new Quantity(defaultMemory)));
        limits.putIfAbsent("memory", memory);
        requests.putIfAbsent("memory", memory);
        Quantity cpu = new Quantity(defaultCpu);
        Quantity cpuLimit = limits.get("cpu");
        if (cpuLimit != null && Quantity.getAmountInBytes(cpuLimit).compareTo(Quantity.getAmountInBytes(cpu)) < 0) {
            cpu = cpuLimit; // a request above the limit is refused by the API server
        }
        requests.putIfAbsent("cpu", cpu);
        return new ResourceRequirementsBuilder().withLimits(limits).withRequests(requests).build();
    }

    /** Applies spec.scheduling and the shared security settings to a pod spec. */
    static void apply(RocketClusterSpec spec, PodSpec pod) {
        SchedulingSpec s = spec.getScheduling();
        if (s != null) {
            pod.setAffinity(s.getAffinity());
            if (s.getTolerations() != null && !s.getTolerations().isEmpty()) {
                pod.setTolerations(new ArrayList<>(s.getTolerations()));
            }
            if (s.getNodeSelector() != null && !s.getNodeSelector().isEmpty()) {
                pod.setNodeSelector(new LinkedHashMap<>(s.getNodeSelector()));
            }
        }
        if (spec.getImagePullSecrets() != null && !spec.getImagePullSecrets().isEmpty()) {
            pod.setImagePullSecrets(new ArrayList<>(spec.getImagePullSecrets()));
        }
        pod.setSecurityContext(podSecurity());
        for (Container c : pod.getContainers()) {
            c.setSecurityContext(containerSecurity());
            c.setImagePullPolicy(spec.getImagePullPolicy());
        }
    }

    static String image(RocketClusterSpec spec, String override, String name) {
        if (override != null && !override.isBlank()) {
            return override;
        }
        String prefix = spec.getImageRegistry() == null ? "" : spec.getImageRegistry();
        String tag = spec.getVersion() == null || spec.getVersion().isBlank() ? OperatorVersion.get() : spec.getVersion();
        return prefix + name + ":" + tag;
    }
}
