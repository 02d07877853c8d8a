package org.infrakit.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.gogo.command.Basic;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

class ShutdownCommandTest {

    @Test
    void stopsTheFramework() throws Exception {
        List<String> calls = new ArrayList<>();
        ShutdownCommand command = new ShutdownCommand(systemBundle(calls, null));

        assertThat(command.shutdown()).isEqualTo("Stopping the InfraKit runtime");
        assertThat(calls).containsExactly("stop");
    }

    @Test
    void aRefusalIsTheFrameworksOwnError() {
        BundleException refused = new BundleException("stop refused", BundleException.SECURITY_ERROR);
        ShutdownCommand command = new ShutdownCommand(systemBundle(new ArrayList<>(), refused));

        assertThatThrownBy(command::shutdown).isSameAs(refused);
    }

    @Test
    void helpSaysWhatItDoes() {
        FakeRegistry registry = new FakeRegistry();
        registry.register(new ShutdownCommand(systemBundle(new ArrayList<>(), null)), "org.infrakit.shell",
                Map.of("osgi.command.scope", "infrakit", "osgi.command.function", new String[] {"shutdown"}),
                ShutdownCommand.class);

        assertThat(new Basic(registry.context()).help("infrakit:shutdown"))
                .contains("Stop the InfraKit runtime", "exits with 0");
    }

    /** A system bundle whose stop() is recorded, or throws {@code failure}. */
    private static Bundle systemBundle(List<String> calls, BundleException failure) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stop") && method.getParameterCount() == 0) {
                        calls.add("stop");
                        if (failure != null) {
                            throw failure;
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
