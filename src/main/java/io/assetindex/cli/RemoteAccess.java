package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ServerSettings;
import io.assetindex.server.ApiClient;
import io.assetindex.state.StateFile;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Finds the workspace's running service through state.json: a watcher or server that is alive
 * (its pid and start time match) and says where its API answers. The address must be the one
 * the config names (or loopback when the config's is), so a state.json edited by someone else
 * cannot send the token, or the question, anywhere else.
 */
final class RemoteAccess {
    private RemoteAccess() {}

    static Optional<ApiClient> connect(Main main, AppConfig config) {
        ServerSettings server = config.server();
        Optional<URI> url = new StateFile(config.workspace().stateFile()).contact()
                .flatMap(StateFile.Contact::liveApiUrl).flatMap(RemoteAccess::uri).filter(uri -> expected(uri, server));
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String token = null;
        if (server.tokenEnv() != null) {
            String value = main.context().environment().get(server.tokenEnv());
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            token = value.strip();
        }
        return Optional.of(new ApiClient(url.get(), token));
    }

    private static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text);
            return "http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                    && uri.getRawUserInfo() == null ? Optional.of(uri) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean expected(URI uri, ServerSettings server) {
        String host = uri.getHost().replaceAll("^\\[|\\]$", "");
        if (server.loopback()) {
            return loopbackLiteral(host);
        }
        return host.equalsIgnoreCase(server.address().replaceAll("^\\[|\\]$", ""));
    }

    private static boolean loopbackLiteral(String host) {
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
