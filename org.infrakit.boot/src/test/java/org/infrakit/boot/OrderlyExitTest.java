package org.infrakit.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.launch.Framework;

class OrderlyExitTest {
    @TempDir
    Path tmp;

    @Test
    void returnsZeroOnceTheFrameworkStops() throws Exception {
        Framework framework = Frameworks.started(tmp.resolve("cache"), Map.of());
        OrderlyExit exit = new OrderlyExit();
        exit.listen(framework.getBundleContext());
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> {
            try {
                return exit.call();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        Thread.sleep(100);
        assertThat(code).isNotDone();

        framework.stop();
        assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
        framework.waitForStop(10_000);
    }

    @Test
    void theLauncherFindsACallableOfInteger() throws Exception {
        // the bnd launcher refuses a main-thread Callable whose call() is not declared as Integer
        assertThat(OrderlyExit.class.getMethod("call").getReturnType()).isEqualTo(Integer.class);
    }
}
