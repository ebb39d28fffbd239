package io.assetindex.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;

/**
 * The HTTP API's place: whether it is served, on which address and port, and the NAME of the
 * environment variable holding the token that requests must carry (required, and checked at
 * start, for any address that is not loopback).
 *
 * @param port 0 for any free port
 */
public record ServerSettings(boolean enabled, String address, int port, String tokenEnv) {

    /** Shortest token accepted: 16 characters (a guessable token protects nothing). */
    public static final int MIN_TOKEN_CHARS = 16;

    /**
     * The token requests must carry, read from the variable {@link #tokenEnv()} names; null when
     * no token is configured.
     *
     * @throws ConfigException when the variable is unset or too short to protect anything
     */
    public String token(Function<String, String> environment) {
        if (tokenEnv == null) {
            return null;
        }
        String token = environment.apply(tokenEnv);
        if (token == null || token.isBlank()) {
            throw new ConfigException("server.token_env names $" + tokenEnv + ", which is not set; set it to a long"
                    + " random secret (e.g. export " + tokenEnv + "=$(openssl rand -hex 32)) or remove server.token_env");
        }
        if (token.strip().length() < MIN_TOKEN_CHARS) {
            throw new ConfigException("$" + tokenEnv + " holds a token of " + token.strip().length() + " characters;"
                    + " use at least " + MIN_TOKEN_CHARS + " (e.g. $(openssl rand -hex 32))");
        }
        return token.strip();
    }

    /** Whether only this machine can reach the address (127.0.0.0/8, ::1, localhost). */
    public boolean loopback() {
        return isLoopback(address);
    }

    static boolean isLoopback(String address) {
        if (address.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return literal(address) && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IPv4 or IPv6 address written out (no name to look up). */
    static boolean literal(String address) {
        return address.matches("[0-9.]+") || (address.contains(":") && address.matches("[0-9A-Fa-f:.]+"));
    }
}
