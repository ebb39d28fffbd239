package io.assetindex.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The HTTP API's place: whether it is served, on which address and port, and the NAME of the
 * environment variable holding the token that requests must carry (required, and checked at
 * start, for any address that is not loopback).
 *
 * @param port 0 for any free port
 */
public record ServerSettings(boolean enabled, String address, int port, String tokenEnv) {

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
