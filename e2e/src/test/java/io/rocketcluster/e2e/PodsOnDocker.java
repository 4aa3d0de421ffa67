package io.rocketcluster.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Runs the pods of Kubernetes workloads (Deployment, StatefulSet) as Docker containers, translating
 * the pod template field by field, so that a test exercises exactly the objects an operator applies:
 * <ul>
 *   <li>image, command/args, env (value, fieldRef metadata.name/namespace), workingDir, imagePullPolicy
 *       ({@code --pull missing|always|never});</li>
 *   <li>volumes: configMap (its data written to files, bind-mounted read-only), emptyDir (an anonymous
 *       volume, or tmpfs for medium Memory), volumeClaimTemplates (a fresh named volume per pod);</li>
 *   <li>security: runAsUser/runAsGroup ({@code --user}), fsGroup and supplementalGroups
 *       ({@code --group-add}), runAsNonRoot (refused for uid 0, as the kubelet does),
 *       readOnlyRootFilesystem ({@code --read-only}), capabilities ({@code --cap-drop/--cap-add}),
 *       allowPrivilegeEscalation=false ({@code no-new-privileges}), seccomp RuntimeDefault (Docker's
 *       default profile);</li>
 *   <li>resources: limits.memory ({@code --memory}, no swap), limits.cpu ({@code --cpus}), requests.cpu
 *       ({@code --cpu-shares}, as the kubelet sets cpu.shares); terminationGracePeriodSeconds
 *       ({@code --stop-timeout});</li>
 *   <li>DNS: the pod's hostname (and subdomain for StatefulSet pods); every Service in the given objects
 *       whose selector matches the pod's labels gives the pod the network alias
 *       {@code <svc>.<ns>.svc.<domain>}; a headless Service named by the StatefulSet's serviceName also
 *       gives {@code <pod>.<svc>.<ns>.svc.<domain>}. Fully qualified names only (no search path);</li>
 *   <li>readiness: the readinessProbe's httpGet port is published on a random 127.0.0.1 port, and
 *       {@link #awaitReady} polls its path as the kubelet would (2xx/3xx = ready).</li>
 * </ul>
 * Whatever it does not translate (other volume types, exec/tcp readiness probes, envFrom, ...) is
 * refused with an exception, so that a change in the generated objects cannot be silently ignored.
 * Everything it creates (network, containers, anonymous and named volumes) carries the label
 * {@code io.rocketcluster.e2e=true} and the run's name, and {@link #close} removes exactly those.
 */
final class PodsOnDocker implements AutoCloseable {
    static final String LABEL = "io.rocketcluster.e2e=true";
    private static final Path LOG_DIR = Path.of(System.getProperty("rocketcluster.e2e.logs", "target/e2e-logs"));
    private static final Duration MAX_START = Duration.ofSeconds(180);

    /** One running pod: its container and the host address of its readiness probe's port. */
    record Pod(String name, String container, Container spec, List<String> aliases, Probe readiness,
               int probePort, List<String> dockerRun) {
    }

    final String run = "rcpods" + UUID.randomUUID().toString().substring(0, 8);
    final String network = run;
    private final List<HasMetadata> objects;
    private final String clusterDomain;
    private final Path files;
    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private boolean networkCreated;

    /** {@code objects}: what the Services and ConfigMaps are looked up in (e.g. everything the operator applies). */
    PodsOnDocker(List<HasMetadata> objects, String clusterDomain) {
        this.objects = List.copyOf(objects);
        this.clusterDomain = clusterDomain;
        try {
            this.files = Files.createTempDirectory(run + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PodsOnDocker createNetwork() {
        Docker.docker(60, "network", "create", "--label", LABEL, "--label", "io.rocketcluster.e2e.run=" + run, network)
                .orFail("network create");
        networkCreated = true;
        log("network " + network);
        return this;
    }

    /** One pod per replica, named {@code <deployment>-<i>} (a real one gets a random suffix). */
    List<Pod> start(Deployment d) {
        List<Pod> out = new ArrayList<>();
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        for (int i = 0; i < replicas; i++) {
            String pod = d.getMetadata().getName() + "-" + i;
            out.add(start(pod, d.getMetadata().getNamespace(), d.getSpec().getTemplate(), List.of(), null, Map.of()));
        }
        return out;
    }

    /** Pods {@code <statefulset>-<ordinal>}, with hostname, subdomain (serviceName) and a claim per template. */
    List<Pod> start(StatefulSet s) {
        List<Pod> out = new ArrayList<>();
        int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        for (int i = 0; i < replicas; i++) {
            String pod = s.getMetadata().getName() + "-" + i;
            List<PersistentVolumeClaim> claims = s.getSpec().getVolumeClaimTemplates() == null ? List.of()
                    : s.getSpec().getVolumeClaimTemplates();
            out.add(start(pod, s.getMetadata().getNamespace(), s.getSpec().getTemplate(), claims,
                    s.getSpec().getServiceName(), Map.of("statefulset.kubernetes.io/pod-name", pod)));
        }
        return out;
    }

    private Pod start(String podName, String namespace, PodTemplateSpec template, List<PersistentVolumeClaim> claims,
                      String subdomain, Map<String, String> controllerLabels) {
        PodSpec spec = template.getSpec();
        if (spec.getContainers().size() != 1 || (spec.getInitContainers() != null && !spec.getInitContainers().isEmpty())) {
            throw new IllegalArgumentException(podName + ": only pods with exactly one container (no init containers) are translated");
        }
        Container c = spec.getContainers().get(0);
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.putAll(controllerLabels);
        String container = run + "-" + podName;
        List<String> aliases = aliases(podName, namespace, labels, subdomain);
        Probe readiness = c.getReadinessProbe();
        int probePort = readiness == null ? -1 : httpPort(c, readiness);

        List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", container,
                "--label", LABEL, "--label", "io.rocketcluster.e2e.run=" + run, "--label", "io.rocketcluster.e2e.pod=" + podName,
                "--network", network, "--hostname", podName));
        if (subdomain != null) {
            cmd.addAll(List.of("--domainname", subdomain + "." + namespace + ".svc." + clusterDomain));
        }
        for (String a : aliases) {
            cmd.addAll(List.of("--network-alias", a));
        }
        if (probePort > 0) {
            cmd.addAll(List.of("-p", "127.0.0.1::" + probePort));
        }
        cmd.addAll(pullPolicy(c.getImagePullPolicy()));
        cmd.addAll(security(podName, spec.getSecurityContext(), c.getSecurityContext()));
        cmd.addAll(resources(c));
        if (spec.getTerminationGracePeriodSeconds() != null) {
            cmd.addAll(List.of("--stop-timeout", spec.getTerminationGracePeriodSeconds().toString()));
        }
        cmd.addAll(env(podName, namespace, c));
        cmd.addAll(mounts(podName, spec, c, claims));
        if (c.getWorkingDir() != null && !c.getWorkingDir().isBlank()) {
            cmd.addAll(List.of("--workdir", c.getWorkingDir()));
        }
        List<String> command = c.getCommand() == null ? List.of() : c.getCommand();
        if (!command.isEmpty()) {
            // command replaces the image's ENTRYPOINT, args its CMD
            cmd.addAll(List.of("--entrypoint", command.get(0)));
        }
        cmd.add(c.getImage());
        if (command.size() > 1) {
            cmd.addAll(command.subList(1, command.size()));
        }
        if (c.getArgs() != null) {
            cmd.addAll(c.getArgs());
        }
        containers.add(container);
        log("pod " + podName + ": docker " + cmd.stream().map(PodsOnDocker::shellQuote).collect(Collectors.joining(" ")));
        Docker.docker(300, cmd.toArray(String[]::new)).orFail("docker run " + podName);
        Pod pod = new Pod(podName, container, c, aliases, readiness, probePort, List.copyOf(cmd));
        pods.put(podName, pod);
        return pod;
    }

    /** The DNS names the pod's Services give it in a cluster. */
    List<String> aliases(String podName, String namespace, Map<String, String> podLabels, String subdomain) {
        Set<String> out = new LinkedHashSet<>();
        for (HasMetadata o : objects) {
            if (!(o instanceof Service svc) || !Objects.equals(namespace, svc.getMetadata().getNamespace())) {
                continue;
            }
            Map<String, String> selector = svc.getSpec().getSelector();
            if (selector == null || selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            String svcName = svc.getMetadata().getName() + "." + namespace + ".svc." + clusterDomain;
            out.add(svcName);
            if ("None".equals(svc.getSpec().getClusterIP()) && svc.getMetadata().getName().equals(subdomain)) {
                out.add(podName + "." + svcName);
            }
        }
        return List.copyOf(out);
    }

    private static int httpPort(Container c, Probe probe) {
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            throw new IllegalArgumentException(c.getName() + ": only httpGet readiness probes are translated");
        }
        if (get.getScheme() != null && !"HTTP".equals(get.getScheme())) {
            throw new IllegalArgumentException(c.getName() + ": probe scheme " + get.getScheme());
        }
        IntOrString port = get.getPort();
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(c.getName() + ": no port named " + port.getStrVal()));
    }

    private static List<String> pullPolicy(String policy) {
        if (policy == null || policy.isBlank()) {
            return List.of();
        }
        return switch (policy) {
            case "IfNotPresent" -> List.of("--pull", "missing");
            case "Always" -> List.of("--pull", "always");
            case "Never" -> List.of("--pull", "never");
            default -> throw new IllegalArgumentException("imagePullPolicy " + policy);
        };
    }

    private static List<String> security(String podName, PodSecurityContext pod, SecurityContext ctr) {
        List<String> out = new ArrayList<>();
        Long uid = ctr != null && ctr.getRunAsUser() != null ? ctr.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
        Long gid = ctr != null && ctr.getRunAsGroup() != null ? ctr.getRunAsGroup() : pod == null ? null : pod.getRunAsGroup();
        Boolean nonRoot = ctr != null && ctr.getRunAsNonRoot() != null ? ctr.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
        if (Boolean.TRUE.equals(nonRoot) && uid != null && uid == 0) {
            throw new IllegalArgumentException(podName + ": runAsNonRoot with runAsUser 0 (the kubelet refuses to start it)");
        }
        if (uid != null) {
            out.addAll(List.of("--user", gid == null ? uid.toString() : uid + ":" + gid));
        } else if (gid != null) {
            throw new IllegalArgumentException(podName + ": runAsGroup without runAsUser is not translated");
        }
        if (pod != null) {
            if (pod.getFsGroup() != null) {
                // the kubelet adds fsGroup to the container's groups (and chowns the volumes to it, which Docker
                // does not: a fresh named volume keeps the image directory's owner and mode instead)
                out.addAll(List.of("--group-add", pod.getFsGroup().toString()));
            }
            if (pod.getSupplementalGroups() != null) {
                pod.getSupplementalGroups().forEach(g -> out.addAll(List.of("--group-add", g.toString())));
            }
            seccomp(podName, pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType(), out);
        }
        if (ctr != null) {
            if (Boolean.TRUE.equals(ctr.getPrivileged())) {
                out.add("--privileged");
            }
            if (Boolean.TRUE.equals(ctr.getReadOnlyRootFilesystem())) {
                out.add("--read-only");
            }
            Capabilities caps = ctr.getCapabilities();
            if (caps != null) {
                if (caps.getDrop() != null) {
                    caps.getDrop().forEach(cap -> out.addAll(List.of("--cap-drop", cap)));
                }
                if (caps.getAdd() != null) {
                    caps.getAdd().forEach(cap -> out.addAll(List.of("--cap-add", cap)));
                }
            }
            if (Boolean.FALSE.equals(ctr.getAllowPrivilegeEscalation())) {
                out.addAll(List.of("--security-opt", "no-new-privileges"));
            }
            seccomp(podName, ctr.getSeccompProfile() == null ? null : ctr.getSeccompProfile().getType(), out);
        }
        return out;
    }

    private static void seccomp(String podName, String type, List<String> out) {
        if (type == null || type.equals("RuntimeDefault")) {
            return; // Docker applies its default profile
        }
        if (type.equals("Unconfined")) {
            out.addAll(List.of("--security-opt", "seccomp=unconfined"));
            return;
        }
        throw new IllegalArgumentException(podName + ": seccompProfile " + type + " is not translated");
    }

    private static List<String> resources(Container c) {
        List<String> out = new ArrayList<>();
        if (c.getResources() == null) {
            return out;
        }
        Map<String, Quantity> limits = c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
        Map<String, Quantity> requests = c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
        Quantity memory = limits.get("memory");
        if (memory != null) {
            String bytes = Quantity.getAmountInBytes(memory).toBigInteger().toString();
            // the kubelet gives containers no swap: memory+swap = memory
            out.addAll(List.of("--memory", bytes, "--memory-swap", bytes));
        }
        Quantity cpu = limits.get("cpu");
        if (cpu != null) {
            out.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpu).toPlainString()));
        }
        Quantity cpuRequest = requests.get("cpu");
        if (cpuRequest != null) {
            long milli = Quantity.getAmountInBytes(cpuRequest).multiply(BigDecimal.valueOf(1000)).longValue();
            out.addAll(List.of("--cpu-shares", Long.toString(Math.max(2, milli * 1024 / 1000))));
        }
        return out;
    }

    private static List<String> env(String podName, String namespace, Container c) {
        if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) {
            throw new IllegalArgumentException(podName + ": envFrom is not translated");
        }
        List<String> out = new ArrayList<>();
        if (c.getEnv() == null) {
            return out;
        }
        for (EnvVar e : c.getEnv()) {
            String value;
            if (e.getValueFrom() == null) {
                value = e.getValue() == null ? "" : e.getValue();
            } else if (e.getValueFrom().getFieldRef() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "metadata.name" -> podName;
                    case "metadata.namespace" -> namespace;
                    default -> throw new IllegalArgumentException(podName + ": env " + e.getName() + " from " + field);
                };
            } else {
                throw new IllegalArgumentException(podName + ": env " + e.getName() + " valueFrom is not translated");
            }
            out.addAll(List.of("--env", e.getName() + "=" + value));
        }
        return out;
    }

    private List<String> mounts(String podName, PodSpec spec, Container c, List<PersistentVolumeClaim> claims) {
        List<String> out = new ArrayList<>();
        if (c.getVolumeMounts() == null) {
            return out;
        }
        for (VolumeMount m : c.getVolumeMounts()) {
            if (m.getSubPath() != null && !m.getSubPath().isBlank()) {
                throw new IllegalArgumentException(podName + ": subPath mounts are not translated");
            }
            boolean readOnly = Boolean.TRUE.equals(m.getReadOnly());
            Volume v = spec.getVolumes() == null ? null
                    : spec.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElse(null);
            PersistentVolumeClaim claim = claims.stream().filter(x -> x.getMetadata().getName().equals(m.getName()))
                    .findFirst().orElse(null);
            String mount;
            if (v != null && v.getConfigMap() != null) {
                Path dir = configMapFiles(podName, v);
                // configMap volumes are read-only whatever the mount says
                mount = "type=bind,src=" + dir + ",dst=" + m.getMountPath() + ",readonly";
            } else if (v != null && v.getEmptyDir() != null) {
                if ("Memory".equals(v.getEmptyDir().getMedium())) {
                    String size = v.getEmptyDir().getSizeLimit() == null ? ""
                            : ",size=" + Quantity.getAmountInBytes(v.getEmptyDir().getSizeLimit()).toBigInteger();
                    out.addAll(List.of("--tmpfs", m.getMountPath() + ":rw,exec,mode=1777" + size));
                    continue;
                }
                // a fresh, empty, node-disk directory that lives as long as the container: an anonymous volume
                mount = "type=volume,dst=" + m.getMountPath() + ",volume-label=" + LABEL
                        + ",volume-label=io.rocketcluster.e2e.run=" + run + (readOnly ? ",readonly" : "");
            } else if (v == null && claim != null) {
                // the claim <template>-<pod>, bound to a fresh volume
                String name = run + "-" + claim.getMetadata().getName() + "-" + podName;
                Docker.docker(60, "volume", "create", "--label", LABEL, "--label", "io.rocketcluster.e2e.run=" + run, name)
                        .orFail("volume create " + name);
                volumes.add(name);
                mount = "type=volume,src=" + name + ",dst=" + m.getMountPath() + (readOnly ? ",readonly" : "");
            } else {
                throw new IllegalArgumentException(podName + ": volume " + m.getName() + " is not translated: " + v);
            }
            out.addAll(List.of("--mount", mount));
        }
        return out;
    }

    /** The ConfigMap's data (or the volume's items) as files, world-readable as with defaultMode 0644. */
    private Path configMapFiles(String podName, Volume v) {
        String name = v.getConfigMap().getName();
        ConfigMap cm = objects.stream().filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
                .map(ConfigMap.class::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(podName + ": no ConfigMap " + name + " in the objects"));
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        Map<String, String> files = new LinkedHashMap<>();
        List<KeyToPath> items = v.getConfigMap().getItems();
        if (items == null || items.isEmpty()) {
            files.putAll(data);
        } else {
            for (KeyToPath item : items) {
                files.put(item.getPath(), Objects.requireNonNull(data.get(item.getKey()), "ConfigMap key " + item.getKey()));
            }
        }
        try {
            Path dir = Files.createDirectories(this.files.resolve(podName).resolve(v.getName()));
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (Stream<Path> s = Files.walk(this.files)) {
                for (Path d : s.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 127.0.0.1:port that Docker published the pod's readiness probe port on. */
    String probeAddress(Pod pod) {
        String out = Docker.docker(30, "port", pod.container(), pod.probePort() + "/tcp").orFail("docker port").out();
        return out.lines().filter(l -> l.startsWith("127.0.0.1:")).findFirst()
                .orElseThrow(() -> new AssertionError("no 127.0.0.1 binding for " + pod.name() + ": " + out));
    }

    /** GET on the pod's probe port; the status code, or -1 when it does not answer (also: docker-proxy's empty accept). */
    int get(Pod pod, String path, StringBuilder body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + probeAddress(pod) + path))
                            .timeout(Duration.ofSeconds(pod.readiness().getTimeoutSeconds() == null ? 1 : pod.readiness().getTimeoutSeconds()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (body != null) {
                body.setLength(0);
                body.append(r.body());
            }
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Polls the readinessProbe's path every 500 ms until it answers 2xx/3xx, within the startupProbe's budget
     * (periodSeconds x failureThreshold) but at most 180 s; fails at once when the container exits.
     */
    void awaitReady(Pod pod) {
        Probe startup = pod.spec().getStartupProbe();
        Duration budget = MAX_START;
        if (startup != null && startup.getPeriodSeconds() != null && startup.getFailureThreshold() != null) {
            Duration d = Duration.ofSeconds((long) startup.getPeriodSeconds() * startup.getFailureThreshold());
            budget = d.compareTo(MAX_START) < 0 ? d : MAX_START;
        }
        String path = pod.readiness().getHttpGet().getPath();
        long t0 = System.nanoTime();
        try {
            await("readiness of " + pod.name()).atMost(budget).pollInterval(Duration.ofMillis(500)).until(() -> {
                String state = inspect(pod, "{{.State.Status}}");
                if (!state.equals("running")) {
                    throw new AssertionError(pod.name() + " is " + state + " (exit code "
                            + inspect(pod, "{{.State.ExitCode}}") + ", OOM killed " + inspect(pod, "{{.State.OOMKilled}}") + ")");
                }
                int status = get(pod, path, null);
                return status >= 200 && status < 400;
            });
        } catch (Throwable t) {
            dumpLogs("not-ready-" + pod.name());
            throw t;
        }
        log(pod.name() + " ready (" + path + ") after " + (System.nanoTime() - t0) / 1_000_000 + " ms of waiting");
    }

    String inspect(Pod pod, String format) {
        return Docker.firstLine(Docker.docker(60, "inspect", "-f", format, pod.container()).orFail("inspect").out());
    }

    /** The container's environment as Docker runs it (the image's ENV and the pod's env), by name. */
    Map<String, String> env(Pod pod) {
        String json = inspect(pod, "{{json .Config.Env}}");
        Map<String, String> env = new TreeMap<>();
        try {
            for (String line : new ObjectMapper().readValue(json, String[].class)) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /** docker stop with the pod's grace period (--stop-timeout): SIGTERM, then SIGKILL after it, as on pod deletion. */
    void stop(Pod pod) {
        Docker.docker(300, "stop", pod.container()).orFail("stop " + pod.name());
    }

    /** A one-off container on the pod network (removed afterwards, also when the test is interrupted). */
    Docker.Result runOnNetwork(long timeoutSeconds, String image, List<String> dockerOptions, String... args) {
        String name = run + "-job-" + UUID.randomUUID().toString().substring(0, 6);
        containers.add(name);
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--name", name, "--label", LABEL,
                "--label", "io.rocketcluster.e2e.run=" + run, "--network", network));
        cmd.addAll(dockerOptions);
        cmd.add(image);
        cmd.addAll(List.of(args));
        return Docker.run(Map.of(), timeoutSeconds, cmd);
    }

    /** Every pod's log into target/e2e-logs/&lt;run&gt;-&lt;label&gt;-&lt;pod&gt;.log. */
    void dumpLogs(String label) {
        try {
            Files.createDirectories(LOG_DIR);
            for (Pod p : pods.values()) {
                Path f = LOG_DIR.resolve(run + "-" + label + "-" + p.name() + ".log");
                Files.writeString(f, Docker.docker(120, "logs", "--timestamps", p.container()).out());
            }
            log("logs written to " + LOG_DIR.toAbsolutePath() + "/" + run + "-" + label + "-*.log");
        } catch (IOException e) {
            log("could not write logs: " + e);
        }
    }

    @Override
    public void close() {
        if (!pods.isEmpty()) {
            dumpLogs("final");
        }
        for (String c : containers) {
            Docker.docker(120, "rm", "-f", "-v", c); // -v: the anonymous (emptyDir) volumes too
        }
        for (String v : volumes) {
            Docker.docker(60, "volume", "rm", "-f", v).orFail("volume rm " + v);
        }
        if (networkCreated) {
            Docker.docker(60, "network", "rm", network).orFail("network rm " + network);
        }
        try (Stream<Path> s = Files.walk(files)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            log("could not remove " + files + ": " + e);
        }
        log("removed " + containers.size() + " containers, " + volumes.size() + " named volumes, network " + network
                + " and " + files);
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=,@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    static void log(String message) {
        System.out.println("[e2e] " + message);
    }
}
