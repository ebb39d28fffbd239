package io.assetindex.config;

/**
 * Bad configuration or usage: the program stops before doing anything (exit code 2).
 * The message is one line that names the key, the value and what is allowed.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
