package org.infrakit.launch.impl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell does, without running a shell: words
 * are separated by blanks; {@code '...'} keeps everything literally; {@code "..."} keeps blanks and
 * lets a backslash escape {@code "}, {@code \}, {@code $} and {@code `}; outside quotes a backslash
 * makes the next character literal. There is no variable expansion, globbing, redirection or
 * piping: {@code $HOME}, {@code *} and {@code >} are passed on as they are (run {@code sh -c '...'}
 * when a shell is really wanted).
 */
final class ShellWords {
    private ShellWords() {
    }

    /**
     * @param line the command line
     * @return its words, possibly none
     * @throws IllegalArgumentException when a quote is not closed or the line ends in a backslash
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote in: " + line);
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n) {
                        char e = line.charAt(i + 1);
                        if (e == '"' || e == '\\' || e == '$' || e == '`') {
                            word.append(e);
                            i += 2;
                            continue;
                        }
                        if (e == '\n') {
                            i += 2;
                            continue;
                        }
                    }
                    word.append(d);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated double quote in: " + line);
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("command line ends in a backslash: " + line);
                }
                char e = line.charAt(i + 1);
                if (e != '\n') {
                    word.append(e);
                    inWord = true;
                }
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
