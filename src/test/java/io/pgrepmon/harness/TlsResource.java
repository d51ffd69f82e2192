package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * One PostgreSQL with TLS (a certificate for {@code localhost} from a test CA) that refuses unencrypted
 * connections, watched through every TLS mode and through each way a connection can fail: wrong host name for the
 * certificate, wrong CA, no TLS, wrong password, closed port, unknown host. The cluster's real password is the
 * canary: it is used everywhere and must appear nowhere. The log is at TRACE, as JSON, in target/secrets-trace.log, and DNS
 * goes to a closed port on loopback, so a lookup fails here rather than leaving the machine.
 */
public class TlsResource implements QuarkusTestResourceLifecycleManager {

    public static final String LOG = "target/secrets-trace.log";

    private PgCluster cluster;
    private TestCertificates certs;

    @Override
    public Map<String, String> start() {
        certs = TestCertificates.create();
        cluster = PgCluster.start("tls", Integer.getInteger("pg.source.major", 15), Map.of("ssl", "on",
                "ssl_cert_file", "'" + certs.serverCert() + "'", "ssl_key_file", "'" + certs.serverKey() + "'"));
        cluster.addHbaRule("hostnossl all all 127.0.0.1/32 reject");
        String canary = cluster.password();
        Map<String, String> config = new HashMap<>();
        int i = 0;
        i = db(config, i, "verify-full", "localhost", cluster.port(), canary, "verify-full", certs.caCert().toString());
        i = db(config, i, "verify-ca", "127.0.0.1", cluster.port(), canary, "verify-ca", certs.caCert().toString());
        i = db(config, i, "require", "127.0.0.1", cluster.port(), canary, "require", null);
        i = db(config, i, "wrong-host", "127.0.0.1", cluster.port(), canary, "verify-full", certs.caCert().toString());
        i = db(config, i, "wrong-ca", "localhost", cluster.port(), canary, "verify-full", certs.otherCaCert().toString());
        i = db(config, i, "no-tls", "127.0.0.1", cluster.port(), canary, "disable", null);
        i = db(config, i, "wrong-password", "127.0.0.1", cluster.port(), canary + "-wrong", "require", null);
        i = db(config, i, "closed-port", "127.0.0.1", PgCluster.freePort(), canary, "prefer", null);
        db(config, i, "unknown-host", "db.pgrepmon.invalid", cluster.port(), canary, "prefer", null);
        config.put("monitor.refresh-interval", "1s");
        config.put("monitor.connect-timeout", "500ms");
        config.put("monitor.query-timeout", "800ms");
        config.put("quarkus.vertx.resolver.servers", "127.0.0.1:" + PgCluster.freePort());
        config.put("quarkus.vertx.resolver.query-timeout", "300");
        config.put("quarkus.log.level", "TRACE");
        config.put("quarkus.log.file.level", "TRACE");
        config.put("quarkus.log.file.path", LOG);
        // As JSON, one object per line, as operators who ship logs set it: no field may carry a secret either.
        config.put("quarkus.log.file.json.enabled", "true");
        // TRACE goes to the file the test reads; the console (the CI log) stays readable.
        config.put("quarkus.log.console.level", "INFO");
        return config;
    }

    /** A source database of the TLS cluster, as the superuser, in the given ssl mode. */
    private static int db(Map<String, String> config, int index, String name, String host, int port, String password,
                          String sslMode, String rootCert) {
        Replication.monitorDatabase(config, index, name, null, "postgres", "source", null, PgCluster.SUPERUSER, password);
        String key = "monitor.databases[" + index + "].";
        config.put(key + "host", host);
        config.put(key + "port", Integer.toString(port));
        config.put(key + "ssl-mode", sslMode);
        if (rootCert != null) {
            config.put(key + "ssl-root-cert", rootCert);
        }
        return index + 1;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(cluster, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, PgCluster.class));
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
