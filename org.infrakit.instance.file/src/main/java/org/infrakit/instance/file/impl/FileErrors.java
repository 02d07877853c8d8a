package org.infrakit.instance.file.impl;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Error texts in the reference's form, {@code <op> <path>: <reason>}, e.g.
 * {@code remove tutorial/instance-1: no such file or directory}: that is what Go's
 * {@code os.PathError} prints, and callers (the CLI, scripts) match on it.
 */
final class FileErrors {
    private FileErrors() {
    }

    /**
     * @param op the operation, as Go names it ({@code open}, {@code remove}, {@code read}, …)
     * @param path the path, as configured (relative paths stay relative)
     * @param e the failure
     * @return {@code <op> <path>: <reason>}
     */
    static String text(String op, Path path, IOException e) {
        return op + " " + path + ": " + reason(e);
    }

    /**
     * @param e a file-system failure
     * @return the reason in Go's (that is, strerror's lower-case) wording
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null || reason.isEmpty()) {
            return e.getClass().getSimpleName();
        }
        // strerror texts start upper-case ("Read-only file system"); Go's are lower-case
        return Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }
}
