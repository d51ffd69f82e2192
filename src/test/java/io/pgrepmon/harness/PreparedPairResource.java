package io.pgrepmon.harness;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A test resource that sets up its own clusters: it hands the test the pair ({@link InjectReplicationPair}) and
 * closes it at the end.
 */
abstract class PreparedPairResource implements QuarkusTestResourceLifecycleManager {

    /** Set by {@link #start()} once the clusters replicate. */
    protected ReplicationPair pair;

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(pair, new TestInjector.AnnotatedAndMatchesType(InjectReplicationPair.class, ReplicationPair.class));
    }

    @Override
    public void stop() {
        if (pair != null) {
            pair.close();
        }
    }
}
