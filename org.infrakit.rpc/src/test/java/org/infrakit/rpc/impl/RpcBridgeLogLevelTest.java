package org.infrakit.rpc.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RpcBridgeLogLevelTest {

    @Test
    void theConfigurationWins() {
        assertThat(RpcBridge.logLevel(2, "5")).isEqualTo(2);
        assertThat(RpcBridge.logLevel(5, null)).isEqualTo(5);
        assertThat(RpcBridge.logLevel(0, "5")).isZero();
    }

    @Test
    void withoutAConfiguredLevelTheFrameworkPropertyIsUsed() {
        assertThat(RpcBridge.logLevel(-1, "5")).isEqualTo(5);
        assertThat(RpcBridge.logLevel(-1, " 0 ")).isZero();
    }

    @Test
    void withNeitherTheLevelIsFour() {
        assertThat(RpcBridge.logLevel(-1, null)).isEqualTo(4);
        assertThat(RpcBridge.logLevel(-1, "")).isEqualTo(4);
    }

    @Test
    void aBadPropertyFallsBackToFour() {
        assertThat(RpcBridge.logLevel(-1, "debug")).isEqualTo(4);
        assertThat(RpcBridge.logLevel(-1, "6")).isEqualTo(4);
        assertThat(RpcBridge.logLevel(-1, "-2")).isEqualTo(4);
    }

    @Test
    void theAnnotationDefaultMeansUnset() throws Exception {
        // bnd writes the default into the component properties, so it must be distinguishable
        assertThat(BridgeConfig.class.getMethod("log_level").getDefaultValue()).isEqualTo(-1);
    }
}
