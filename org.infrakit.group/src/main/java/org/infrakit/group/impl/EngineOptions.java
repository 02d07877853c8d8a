package org.infrakit.group.impl;

import java.time.Duration;

import org.infrakit.spi.GoDuration;

/**
 * Tuning of the group engine.
 *
 * @param pollInterval how often each group is checked and corrected (the reference's
 *     {@code --poll-interval}); positive
 * @param updatePollInterval how often health is checked while a rolling update waits for a
 *     replacement to become healthy; positive. A rolling update is not paced by the poll interval:
 *     as soon as a replacement is healthy the next member is replaced.
 * @param parallelism how many instances of one group are created or destroyed at the same time;
 *     at least 1
 * @param pendingGrace how long an instance the group provisioned counts as a member while the
 *     instance plugin does not list it yet (plugins with eventually consistent listings); positive;
 *     {@code null} for the default of 5 s. Only creations count such instances: nothing is destroyed
 *     because of them.
 * @param maxGroupSize the most instances a commit may ask of one group; at least 1
 */
public record EngineOptions(Duration pollInterval, Duration updatePollInterval, int parallelism, Duration pendingGrace,
        long maxGroupSize) {

    /** Default poll interval, as the reference: 10 s. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(10);
    /** Default health poll interval during rolling updates: 200 ms. */
    public static final Duration DEFAULT_UPDATE_POLL = Duration.ofMillis(200);
    /** Default time a provisioned instance counts as a member before it is listed: 5 s. */
    public static final Duration DEFAULT_PENDING_GRACE = Duration.ofSeconds(5);
    /** Default parallelism: 8. */
    public static final int DEFAULT_PARALLELISM = 8;
    /** Default maximum group size: 10,000 (a Size of 2^31 would otherwise be attempted). */
    public static final int DEFAULT_MAX_GROUP_SIZE = 10_000;

    /** @throws IllegalArgumentException naming the bad option */
    public EngineOptions {
        if (pollInterval == null || pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("poll interval must be greater than zero, not "
                    + (pollInterval == null ? "absent" : GoDuration.format(pollInterval)));
        }
        if (updatePollInterval == null || updatePollInterval.isZero() || updatePollInterval.isNegative()) {
            throw new IllegalArgumentException("update poll interval must be greater than zero, not "
                    + (updatePollInterval == null ? "absent" : GoDuration.format(updatePollInterval)));
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
        }
        if (pendingGrace == null) {
            pendingGrace = DEFAULT_PENDING_GRACE;
        }
        if (pendingGrace.isZero() || pendingGrace.isNegative()) {
            throw new IllegalArgumentException("pending grace must be greater than zero");
        }
        if (maxGroupSize < 1) {
            throw new IllegalArgumentException("maximum group size must be at least 1, not " + maxGroupSize);
        }
    }

    /** With the default maximum group size. */
    public EngineOptions(Duration pollInterval, Duration updatePollInterval, int parallelism, Duration pendingGrace) {
        this(pollInterval, updatePollInterval, parallelism, pendingGrace, DEFAULT_MAX_GROUP_SIZE);
    }

    /** @return the defaults with that poll interval */
    public static EngineOptions withPollInterval(Duration pollInterval) {
        return new EngineOptions(pollInterval, DEFAULT_UPDATE_POLL, DEFAULT_PARALLELISM, null);
    }

    public static EngineOptions defaults() {
        return withPollInterval(DEFAULT_POLL);
    }

    /** @return the interval between health checks while a rolling update waits */
    Duration healthInterval() {
        return updatePollInterval.compareTo(pollInterval) < 0 ? updatePollInterval : pollInterval;
    }
}
