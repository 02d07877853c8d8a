package org.infrakit.instance.file.impl;

/**
 * The largest instance file the plugin reads. An instance file is a few hundred bytes of JSON
 * (its spec, at most a request body of 4 MiB); a bigger one was not written by this plugin, and
 * describing it would hold its whole text, parsed, in every reply that lists it (a 56 MB file made
 * one DescribeInstances take seconds and over a gigabyte). It is skipped with a warning instead.
 */
final class InstanceFileLimit {
    /** The largest instance file read, in bytes: 8 MiB. */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private InstanceFileLimit() {
    }

    /**
     * @param size a file's size in bytes
     * @return why a file of that size is skipped, or {@code null} when it is read
     */
    static String tooLarge(long size) {
        return size <= MAX_BYTES ? null
                : "it has " + size + " bytes, more than the " + MAX_BYTES + " an instance file may have";
    }
}
