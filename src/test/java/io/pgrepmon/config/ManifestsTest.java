package io.pgrepmon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.source.yaml.YamlConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Kubernetes base and ECS task definition against the configuration they carry: ports, probe paths,
 * where the configuration and each secret file end up, and a configuration that maps and validates as the monitor
 * would read it there (secrets mounted as the manifests mount them, environment as the task definition sets it).
 */
class ManifestsTest {

    static final Path KUBERNETES = Path.of("deploy/kubernetes");
    static final Path ECS = Path.of("deploy/ecs");
    /** The port the application listens on (application.yaml) and the health paths Quarkus serves (SecurityTests GETs them). */
    static final int PORT = 8080;
    static final List<String> HEALTH = List.of("/q/health/live", "/q/health/ready");
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = current instanceof Map<?, ?> map ? map.get(key) : current instanceof List<?> list ? list.get(Integer.parseInt(key)) : null;
        }
        return (T) current;
    }

    static Map<String, Map<String, Object>> kubernetesObjects() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(KUBERNETES.resolve("kustomization.yaml")));
        Map<String, Map<String, Object>> objects = new HashMap<>();
        for (String resource : ManifestsTest.<List<String>>at(kustomization, "resources")) {
            for (Object document : new Yaml().loadAll(Files.readString(KUBERNETES.resolve(resource)))) {
                Map<String, Object> object = (Map<String, Object>) document;
                objects.put(object.get("kind") + "/" + at(object, "metadata", "name"), object);
            }
        }
        return objects;
    }

    /** The monitor's configuration read as the monitor reads it, with each absolute path moved under {@code root}. */
    static MonitorSettings validate(String yaml, Path root, Map<String, String> environment) {
        String moved = yaml.replaceAll("(?m)(-file|ssl-root-cert): /", "$1: " + root.toString().replace("\\", "/") + "/");
        return ConfigValidator.validate(TestConfigs.builder()
                .withSources(new YamlConfigSource("config.yaml", moved, 100))
                .withSources(new PropertiesConfigSource(environment, "environment", 50))
                .build().getConfigMapping(MonitorConfig.class), "0.0.0.0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesBaseRunsTheConfigurationItCarries(@TempDir Path root) throws IOException {
        Map<String, Map<String, Object>> objects = kubernetesObjects();
        Map<String, Object> deployment = objects.get("Deployment/pg-replication-monitor");
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", "0");
        Map<String, String> podLabels = at(deployment, "spec", "template", "metadata", "labels");

        // Labels: the Deployment, the Service, the NetworkPolicy and the ServiceMonitor all find the same pods.
        assertThat(podLabels).isNotEmpty().isEqualTo(at(deployment, "spec", "selector", "matchLabels"));
        Map<String, Object> service = objects.get("Service/pg-replication-monitor");
        assertThat(podLabels).containsAllEntriesOf(at(service, "spec", "selector"));
        assertThat(podLabels).containsAllEntriesOf(at(objects.get("NetworkPolicy/pg-replication-monitor"), "spec", "podSelector", "matchLabels"));
        Map<String, Object> serviceMonitor = objects.get("ServiceMonitor/pg-replication-monitor");
        assertThat(ManifestsTest.<Map<String, String>>at(service, "metadata", "labels"))
                .containsAllEntriesOf(at(serviceMonitor, "spec", "selector", "matchLabels"));

        // Ports and probes.
        assertThat(ManifestsTest.<Integer>at(container, "ports", "0", "containerPort")).isEqualTo(PORT);
        assertThat((String) at(container, "ports", "0", "name")).isEqualTo("http")
                .isEqualTo(at(service, "spec", "ports", "0", "targetPort"))
                .isEqualTo(at(serviceMonitor, "spec", "endpoints", "0", "port"));
        assertThat((String) at(serviceMonitor, "spec", "endpoints", "0", "path")).isEqualTo("/q/metrics");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo(HEALTH.get(0));
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo(HEALTH.get(1));
        assertThat(ManifestsTest.<Object>at(container, "env")).asString().contains("QUARKUS_HTTP_HOST");
        String scrapeSecret = at(serviceMonitor, "spec", "endpoints", "0", "authorization", "credentials", "name");
        assertThat(objects).containsKey("Secret/" + scrapeSecret);

        // Hardening: not root, read-only root file system with a writable /tmp, nothing more than it needs.
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem")).isTrue();
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation")).isFalse();
        assertThat(ManifestsTest.<List<Map<String, Object>>>at(container, "volumeMounts")).extracting(m -> m.get("mountPath"))
                .contains("/tmp");
        assertThat(ManifestsTest.<Object>at(container, "resources", "limits", "memory")).isNotNull();
        // Egress to PostgreSQL and DNS only.
        List<Map<String, Object>> egress = at(objects.get("NetworkPolicy/pg-replication-monitor"), "spec", "egress");
        assertThat(egress.stream().flatMap(rule -> ((List<Map<String, Object>>) rule.get("ports")).stream())
                .map(p -> p.get("port"))).containsExactlyInAnyOrder(5432, 53, 53);

        // The volumes as the pod sees them: the generated ConfigMap and the Secret, each at its mount path.
        Map<String, Object> kustomization = new Yaml().load(Files.readString(KUBERNETES.resolve("kustomization.yaml")));
        String configMapName = at(kustomization, "configMapGenerator", "0", "name");
        String configFile = at(kustomization, "configMapGenerator", "0", "files", "0");
        Map<String, String> mounts = new HashMap<>();
        for (Map<String, Object> mount : ManifestsTest.<List<Map<String, Object>>>at(container, "volumeMounts")) {
            mounts.put((String) mount.get("name"), (String) mount.get("mountPath"));
        }
        Path configPath = null;
        for (Map<String, Object> volume : ManifestsTest.<List<Map<String, Object>>>at(pod, "volumes")) {
            String mountPath = mounts.get(volume.get("name"));
            if (volume.containsKey("configMap")) {
                assertThat((String) at(volume, "configMap", "name")).isEqualTo(configMapName);
                configPath = Path.of(mountPath, configFile);
            } else if (volume.containsKey("secret")) {
                Map<String, Object> secret = objects.get("Secret/" + at(volume, "secret", "secretName"));
                assertThat(secret).as("the mounted Secret is in the base").isNotNull();
                Path dir = root.resolve(mountPath.substring(1));
                Files.createDirectories(dir);
                for (Map.Entry<String, String> entry : ManifestsTest.<Map<String, String>>at(secret, "stringData").entrySet()) {
                    Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
                }
            }
        }
        assertThat(configPath).isNotNull();
        List<String> args = at(container, "args");
        assertThat(args).containsExactly("--config", configPath.toString());

        // The configuration maps, validates with access control on (it listens on 0.0.0.0), and finds every secret file.
        String yaml = Files.readString(KUBERNETES.resolve(configFile));
        MonitorSettings settings = validate(yaml, root, Map.of());
        assertThat(settings.security().enabled()).isTrue();
        assertThat(settings.databases()).extracting(DatabaseSettings::name).containsExactly("source", "target");
        assertThat(settings.databases()).allMatch(db -> db.password().startsWith("REPLACE"));
    }

    @Test
    void theEcsTaskDefinitionRunsTheConfigurationOfItsImage(@TempDir Path root) throws IOException {
        JsonNode task = new ObjectMapper().readTree(ECS.resolve("task-definition.json").toFile());
        JsonNode container = task.at("/containerDefinitions/0");
        assertThat(task.at("/requiresCompatibilities/0").asText()).isEqualTo("FARGATE");
        assertThat(container.at("/portMappings/0/containerPort").asInt()).isEqualTo(PORT);
        assertThat(container.at("/readonlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/user").asText()).isNotIn("", "0", "root");
        assertThat(container.at("/mountPoints/0/containerPath").asText()).isEqualTo("/tmp");
        assertThat(task.at("/volumes/0/name").asText()).isEqualTo(container.at("/mountPoints/0/sourceVolume").asText());
        assertThat(container.at("/logConfiguration/logDriver").asText()).isEqualTo("awslogs");
        // The health check is the binary's own (the micro image has no curl), on the port and path the monitor serves.
        List<String> check = new ArrayList<>();
        container.at("/healthCheck/command").forEach(c -> check.add(c.asText()));
        assertThat(check).containsExactly("CMD", "/work/application", "--check-health", "http://127.0.0.1:" + PORT + HEALTH.get(0));
        assertThat(Files.readString(Path.of("src/main/docker/Dockerfile.native-micro"))).contains("/work/application");

        // The image is the native one with the configuration and the CA bundle copied in: the files the config names.
        String dockerfile = Files.readString(ECS.resolve("Dockerfile"));
        Map<String, String> copies = new HashMap<>();
        Matcher copy = Pattern.compile("(?m)^COPY .*?(\\S+) (/\\S+)$").matcher(dockerfile);
        while (copy.find()) {
            copies.put(copy.group(2), copy.group(1));
        }
        List<String> command = new ArrayList<>();
        container.at("/command").forEach(c -> command.add(c.asText()));
        assertThat(command).hasSize(2).first().isEqualTo("--config");
        assertThat(copies).containsKey(command.get(1));
        String yaml = Files.readString(Path.of(copies.get(command.get(1))));
        Matcher cert = Pattern.compile("ssl-root-cert: (\\S+)").matcher(yaml);
        while (cert.find()) {
            assertThat(copies).as("copied into the image").containsKey(cert.group(1));
            Path moved = root.resolve(cert.group(1).substring(1));
            Files.createDirectories(moved.getParent());
            Files.writeString(moved, "-----BEGIN CERTIFICATE-----\n");
        }

        // Every ${VAR} of the configuration is set by the task: a secret from Secrets Manager or a plain variable.
        Map<String, String> environment = new HashMap<>();
        container.at("/secrets").forEach(s -> {
            assertThat(s.at("/valueFrom").asText()).startsWith("arn:aws:secretsmanager:");
            environment.put(s.at("/name").asText(), s.at("/name").asText().equals("MONITOR_TOKEN_SHA256") ? "0".repeat(64) : "from-secrets-manager");
        });
        container.at("/environment").forEach(e -> environment.put(e.at("/name").asText(), e.at("/value").asText()));
        Matcher placeholder = PLACEHOLDER.matcher(yaml);
        while (placeholder.find()) {
            assertThat(environment).as("set by the task definition").containsKey(placeholder.group(1));
        }
        MonitorSettings settings = validate(yaml, root, environment);
        assertThat(settings.security().enabled()).isTrue();
        assertThat(settings.databases()).allMatch(db -> db.password().equals("from-secrets-manager"))
                .allMatch(db -> db.sslMode() == SslMode.VERIFY_FULL);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeDemoMountsWhatExistsAndItsPrometheusScrapesTheMonitorWithItsToken(@TempDir Path root) throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Map<String, Object>> services = at(compose, "services");
        assertThat(services).containsKeys("source", "target", "load", "monitor", "prometheus", "grafana");
        Map<String, String> mounted = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (String volume : ManifestsTest.<List<String>>at(service.getValue(), "volumes") == null ? List.<String>of()
                    : ManifestsTest.<List<String>>at(service.getValue(), "volumes")) {
                String[] parts = volume.split(":");
                assertThat(Path.of(parts[0])).as("%s mounts %s", service.getKey(), parts[0]).exists();
                mounted.put(parts[1], parts[0]);
            }
        }
        assertThat(ManifestsTest.<List<String>>at(services.get("prometheus"), "profiles")).containsExactly("observability");
        assertThat(ManifestsTest.<List<String>>at(services.get("grafana"), "profiles")).containsExactly("observability");
        // Prometheus scrapes the monitor's port with the token whose hash the monitor has, and loads the shipped rules.
        String prometheus = Files.readString(Path.of(mounted.get("/etc/prometheus/prometheus.yml")));
        Map<String, Object> scrape = at(new Yaml().load(prometheus), "scrape_configs", "0");
        assertThat(ManifestsTest.<List<String>>at(scrape, "static_configs", "0", "targets")).containsExactly("monitor:" + PORT);
        assertThat((String) at(scrape, "metrics_path")).isEqualTo("/q/metrics");
        String token = at(scrape, "authorization", "credentials");
        assertThat(ManifestsTest.<Map<String, String>>at(services.get("monitor"), "environment"))
                .containsEntry("MONITOR_TOKEN_SHA256", java.util.HexFormat.of().formatHex(Sha256.of(token)));
        String local = prometheus;
        for (String rule : ManifestsTest.<List<String>>at(new Yaml().load(prometheus), "rule_files")) {
            assertThat(mounted).as("rule file mounted").containsKey(rule);
            local = local.replace(rule, Path.of(mounted.get(rule)).toAbsolutePath().toString());
        }
        Path config = root.resolve("prometheus.yml");
        Files.writeString(config, local);
        io.pgrepmon.harness.Promtool.Result check = io.pgrepmon.harness.Promtool.run(null, "check", "config", config.toString());
        assertThat(check.exit()).as("promtool check config: %s", check.output()).isZero();
        // Grafana gets the dashboard file the repository ships.
        assertThat(mounted).containsEntry("/var/lib/grafana/dashboards/pgrepmon-dashboard.json", "./deploy/grafana/pgrepmon-dashboard.json");
    }
}
