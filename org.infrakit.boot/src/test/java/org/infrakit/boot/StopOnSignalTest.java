package org.infrakit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;

class StopOnSignalTest {
    @TempDir
    Path tmp;

    @Test
    void stopsARunningFrameworkAndWaitsUntilItIsStopped() throws Exception {
        Framework framework = Frameworks.started(tmp.resolve("cache"), Map.of());
        List<Integer> events = new CopyOnWriteArrayList<>();
        framework.getBundleContext().addBundleListener((SynchronousBundleListener) e -> {
            if (e.getBundle().getBundleId() == 0) {
                events.add(e.getType());
            }
        });

        new StopOnSignal(framework, 10_000).run();

        // run() returns only once the framework is fully stopped, not merely asked to stop
        assertThat(framework.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(events).containsExactly(BundleEvent.STOPPING);
    }

    @Test
    void doesNothingWhenTheFrameworkIsAlreadyStopped() throws Exception {
        Framework framework = Frameworks.started(tmp.resolve("cache"), Map.of());
        Frameworks.stop(framework);

        long start = System.nanoTime();
        new StopOnSignal(framework, 10_000).run();

        assertThat(framework.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }
}
